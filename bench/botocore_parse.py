"""botocore's rest-json parser on GetIntegrations pages: the Python reference figure.

Usage: python bench/botocore_parse.py PAGE.json... ; prints JSON with seconds per parse.
"""
import json
import sys
import timeit

import botocore
import botocore.parsers
import botocore.session

session = botocore.session.get_session()
operation = session.get_service_model("apigatewayv2").operation_model("GetIntegrations")
parser = botocore.parsers.create_parser("rest-json")

results = {"botocore_version": botocore.__version__, "pages": {}}
for path in sys.argv[1:]:
    body = open(path, "rb").read()
    response = {"body": body, "headers": {}, "status_code": 200}
    parsed = parser.parse(response, operation.output_shape)
    items = len(parsed["Items"])
    number = max(1, 2000 // items)
    runs = timeit.repeat(lambda: parser.parse(response, operation.output_shape), number=number, repeat=9)
    results["pages"][str(items)] = {"bytes": len(body), "seconds": sorted(t / number for t in runs)}
print(json.dumps(results))

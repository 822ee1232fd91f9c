"""Fan-out under API Gateway's quota: every client lists every integration of every
API against a fresh local server that throttles as the service does (a token bucket
per access key and region), and this prints one markdown table.

Run by `cargo xtask bench-fanout`, which builds the binaries and passes their paths.
Each row is one client, one run, in this same process: wall time, CPU time of the
client (its process and its children, from wait4), the server's counts of requests
and 429s, and APIs that failed.
"""

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.request

BOTO3_CLIENT = r'''
import sys, json, concurrent.futures, boto3, botocore.config
url, mode, threads, page = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
cfg = botocore.config.Config(retries={"mode": mode}, max_pool_connections=threads)
c = boto3.client("apigatewayv2", endpoint_url=url, config=cfg)
apis = [a["ApiId"] for p in c.get_paginator("get_apis").paginate(
    PaginationConfig={"PageSize": page}) for a in p["Items"]]
def one(api):
    try:
        return sum(len(p["Items"]) for p in c.get_paginator("get_integrations").paginate(
            ApiId=api, PaginationConfig={"PageSize": page}))
    except Exception:
        return -1
with concurrent.futures.ThreadPoolExecutor(threads) as ex:
    res = list(ex.map(one, apis))
print(json.dumps({"failed": sum(1 for r in res if r < 0), "items": sum(r for r in res if r > 0)}))
'''


def start_server(args):
    server = subprocess.Popen(
        [args.server, "--apis", str(args.apis), "--items", str(args.items),
         "--quota", f"{args.rate}/{args.burst}"],
        stdout=subprocess.PIPE, text=True)
    url = server.stdout.readline().strip()
    return server, url


def counters(url):
    with urllib.request.urlopen(url + "/_counters") as r:
        return json.load(r)


def run_client(args, name, argv_for, parse):
    server, url = start_server(args)
    env = dict(os.environ)
    env.update({
        "AWS_ACCESS_KEY_ID": "AKIDAPIGWTESTKEY0001",
        "AWS_SECRET_ACCESS_KEY": "apigw/test/secret+key/0001",
        "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
        "AWS_PAGER": "", "AWS_EC2_METADATA_DISABLED": "true",
    })
    env.pop("AWS_RETRY_MODE", None)
    env.pop("AWS_MAX_ATTEMPTS", None)
    before = os.times()
    start = time.monotonic()
    proc = subprocess.run(argv_for(url), capture_output=True, text=True, env=env)
    wall = time.monotonic() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    seen = counters(url)
    server.terminate()
    server.wait()
    failed, items = parse(proc)
    return {"client": name, "wall": wall, "cpu": cpu, "requests": seen["requests"],
            "throttled": seen["throttled"], "failed": failed, "items": items}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--apigw", required=True)
    p.add_argument("--server", required=True)
    p.add_argument("--python", default=sys.executable)
    p.add_argument("--aws", default="")
    p.add_argument("--apis", type=int, default=1000)
    p.add_argument("--items", type=int, default=50)
    p.add_argument("--page-size", type=int, default=100)
    p.add_argument("--rate", type=float, default=10)
    p.add_argument("--burst", type=float, default=40)
    args = p.parse_args()
    page = str(args.page_size)
    pages_of_apis = -(-args.apis // args.page_size)
    per_api = max(1, -(-args.items // args.page_size))
    needed = pages_of_apis + args.apis * per_api
    minimum = max(0.0, (needed - args.burst) / args.rate)

    def apigw_parse(proc):
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr)
        value = json.loads(proc.stdout or "{}")
        return len(value.get("Failures", [])), int(value.get("Items", 0)) if "Items" in value else \
            sum(len(a["Items"]) for a in value.get("Apis", []))

    def boto_parse(proc):
        value = json.loads(proc.stdout or '{"failed": -1, "items": 0}')
        return value["failed"], value["items"]

    rows = []
    for concurrency in ["4", "8"]:
        rows.append(run_client(
            args, f"apigw --all-apis (adaptive, --max-concurrency {concurrency})",
            lambda url, c=concurrency: [args.apigw, "get-integrations", "--all-apis", "--keep-going",
                                        "--page-size", page, "--max-concurrency", c, "--endpoint-url", url],
            apigw_parse))
    rows.append(run_client(
        args, f"apigw --all-apis --max-rate {args.rate:g}/{args.burst:g}",
        lambda url: [args.apigw, "get-integrations", "--all-apis", "--keep-going", "--page-size", page,
                     "--max-rate", f"{args.rate:g}/{args.burst:g}", "--endpoint-url", url],
        apigw_parse))
    for mode in ["adaptive", "standard"]:
        rows.append(run_client(
            args, f"boto3 {mode}, 8 threads",
            lambda url, m=mode: [args.python, "-c", BOTO3_CLIENT, url, m, "8", page],
            boto_parse))
    if args.aws:
        loop = (
            f'"$AWS" apigatewayv2 get-apis --endpoint-url "$URL" --page-size {page} '
            '--query "Items[].ApiId" --output text | tr "\\t" "\\n" | '
            f'xargs -P 8 -I{{}} sh -c \'"$AWS" apigatewayv2 get-integrations --endpoint-url "$URL" '
            f'--page-size {page} --api-id {{}} --output json > /dev/null 2>&1 || echo FAILED\''
        )

        def aws_parse(proc):
            return proc.stdout.count("FAILED"), None

        rows.append(run_client(
            args, "AWS CLI v2, `xargs -P 8` (one process per API)",
            lambda url: ["sh", "-c", f'export AWS="{args.aws}" URL="{url}"; {loop}'],
            aws_parse))
    print(f"{args.apis:,} APIs x {args.items} integrations, page size {args.page_size}, quota "
          f"{args.rate:g} requests/s burst {args.burst:g} per access key and region; {needed:,} "
          f"requests needed, theoretical minimum {minimum:.1f} s. One run, every client in the same "
          "run against a fresh server.\n")
    print("| client | APIs failed | wall | wall / minimum | requests | 429s (wasted) | client CPU |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        ratio = r["wall"] / minimum if minimum else float("nan")
        print(f"| {r['client']} | {r['failed']} | {r['wall']:.1f} s | {ratio:.3f} | {r['requests']:,} | "
              f"{r['throttled']:,} | {r['cpu']:.1f} s |")


if __name__ == "__main__":
    main()

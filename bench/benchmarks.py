"""What every benchmark script shares: the machine's description and rewriting its own
section of BENCHMARKS.md."""
import os
import platform
import re
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def machine():
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**30
    return (f"{os.cpu_count()} cores, {memory} GiB, {platform.machine()}, "
            f"{platform.freedesktop_os_release()['PRETTY_NAME']}")


def now():
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())


def sealed_parts(hattama, data, minutes, count=2):
    """`count` sealed parts of `minutes` written by `hattama bench-seal` into `data`, their
    files read once so the page cache is warm for every run. Returns (sessions folder, files,
    total bytes)."""
    import subprocess
    for _ in range(count):
        subprocess.run([hattama, "--data", data, "bench-seal", "--minutes", str(minutes)],
                       check=True, stdout=subprocess.DEVNULL)
    sessions = f"{data}/sessions"
    files = [os.path.join(d, f) for d, _, fs in os.walk(sessions) for f in fs if f != "part.lock"]
    subprocess.run(["cat", *files], check=True, stdout=subprocess.DEVNULL)
    return sessions, files, sum(os.path.getsize(f) for f in files)


def free_port():
    """A TCP port on 127.0.0.1 nothing listens on now."""
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def write_section(name, section):
    """Replaces `<!-- bench:NAME -->…<!-- /bench:NAME -->` in BENCHMARKS.md (or appends it)."""
    path = os.path.join(ROOT, "BENCHMARKS.md")
    text = open(path, encoding="utf-8").read()
    pattern = re.compile(rf"<!-- bench:{name} -->.*?<!-- /bench:{name} -->", re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: section, text)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    open(path, "w", encoding="utf-8").write(text)
    print(section)


SUMMARY = "summary"
SUMMARY_HEAD = ("| figure | Hattama | stock tool | ratio | goal | met |\n"
                "|---|---|---|---|---|---|")


def summary(key, figure, hattama, stock, ratio, goal, met):
    """Sets row `key` of the table at the top of BENCHMARKS.md (`bench:summary`): one line per
    figure, so a reader sees where things stand at a glance; the sections below hold the
    details. `ratio` is Hattama / the stock tool (None where the goal is absolute)."""
    path = os.path.join(ROOT, "BENCHMARKS.md")
    text = open(path, encoding="utf-8").read()
    ratio_text = "—" if ratio is None else f"{ratio:.2f}×"
    row = (f"| {figure} | {hattama} | {stock} | {ratio_text} | {goal} | "
           f"{'yes' if met else '**no**'} | <!-- row:{key} -->")
    pattern = re.compile(rf"<!-- bench:{SUMMARY} -->\n(.*?)<!-- /bench:{SUMMARY} -->", re.S)
    found = pattern.search(text)
    rows = []
    if found:
        rows = [line for line in found.group(1).splitlines()
                if "<!-- row:" in line and f"<!-- row:{key} -->" not in line]
    rows.append(row)
    rows.sort(key=lambda line: line.split("<!-- row:")[1])
    section = (f"<!-- bench:{SUMMARY} -->\n## Where things stand\n\n"
               f"Each row is rewritten by the benchmark that measures it (last: {now()}); a figure\n"
               "not in the table yet is in its section below, measured before the table was.\n\n"
               f"{SUMMARY_HEAD}\n" + "\n".join(rows) + f"\n<!-- /bench:{SUMMARY} -->")
    if found:
        text = pattern.sub(lambda _: section, text)
    else:
        head, sep, rest = text.partition("Each section is rewritten by the command it names.\n")
        text = head + sep + "\n" + section + "\n" + rest
    open(path, "w", encoding="utf-8").write(text)


def serve_s3(root, port, key="bench,bench-secret"):
    """`rclone serve s3` on 127.0.0.1:`port` over `root` (its folders are buckets), once it
    answers."""
    import socket
    import subprocess
    server = subprocess.Popen(["rclone", "serve", "s3", "--addr", f"127.0.0.1:{port}",
                               "--auth-key", key, "--vfs-cache-mode", "off", root],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return server
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"rclone serve s3 does not answer on port {port}")

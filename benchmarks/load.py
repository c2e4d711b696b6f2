"""Load test of the chat page: many users asking at once, idle and while an upload is ingested.

    .venv/bin/python benchmarks/load.py --out benchmarks/load_results.json            # 2 x 2 minutes
    .venv/bin/python benchmarks/load.py --users 4 --seconds 10 --out /tmp/load.json   # a smoke run

It starts the real server (`assistant serve`, a subprocess on 127.0.0.1 with a fresh index of the
sample corpus and an editor and 32 readers from a credentials file), signs each user in, and has
every user ask the 71 sample questions in turn through the page's HTTP API (`/gradio_api/call/ask`,
the route gradio_client uses), each question as soon as the last was answered, for the given time.
Phase "idle" only asks; phase "upload" asks while an editor uploads batches of SQuAD paragraphs
(`/gradio_api/upload`, then `/gradio_api/call/ingest`) one after another for the whole phase.

Every user signs in as their own reader, so the per-client rate limit counts each user apart;
the limits are set high for the run (ASSISTANT_ASK_RATE=0, ASSISTANT_INGEST_RATE=0), since the
point is to measure the server, not the limiter.

An error is any request that does not end in an answer: an HTTP error, an `event: error`, or no
reply within the timeout. Latency is from the POST of the question to its answer, queueing
included. On the shared 2-core development machine the figures are noisy; they are what one
run measured, with whatever else ran then.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
QUESTIONS = REPO / "evals" / "datasets" / "sample_news.jsonl"
SQUAD = REPO / "evals" / "data" / "squad-dev-v1.1-part1.json"
EDITOR = ("loadeditor", "editor-pass")
PARAGRAPHS_PER_FILE = 5
FILES_PER_UPLOAD = 20  # the default upload_max_files
REQUEST_TIMEOUT_S = 120.0


@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    abstained: int = 0
    uploads: list[dict[str, Any]] = field(default_factory=list)

    def summary(self, seconds: float, users: int) -> dict[str, Any]:
        ordered = sorted(self.latencies)

        def pct(p: float) -> float | None:
            if not ordered:
                return None
            return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))], 3)

        result: dict[str, Any] = {
            "users": users,
            "seconds": round(seconds, 1),
            "answers": len(ordered),
            "errors": len(self.errors),
            "error_examples": sorted(set(self.errors))[:5],
            "abstained": self.abstained,
            "answers_per_s": round(len(ordered) / seconds, 2) if seconds else None,
            "latency_s": {
                "p50": pct(0.50),
                "p95": pct(0.95),
                "max": round(ordered[-1], 3) if ordered else None,
                "mean": round(statistics.fmean(ordered), 3) if ordered else None,
            },
        }
        if self.uploads:
            durations = [u["seconds"] for u in self.uploads]
            result["uploads"] = {
                "completed": len(self.uploads),
                "files_added": sum(u["added"] for u in self.uploads),
                "files_skipped": sum(u["skipped"] for u in self.uploads),
                "errors": sum(1 for u in self.uploads if u.get("error")),
                "seconds_each_p50": round(statistics.median(durations), 1),
                "seconds_each_max": round(max(durations), 1),
            }
        return result


def questions() -> list[str]:
    return [
        json.loads(line)["question"] for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line
    ]


def squad_files(folder: Path) -> list[Path]:
    """SQuAD paragraphs written as article files, PARAGRAPHS_PER_FILE each, in order."""
    data = json.loads(SQUAD.read_text(encoding="utf-8"))["data"]
    files = []
    for article in data:
        paragraphs = [p["context"] for p in article["paragraphs"]]
        title = article["title"].replace("_", " ")
        for start in range(0, len(paragraphs), PARAGRAPHS_PER_FILE):
            path = folder / f"{article['title'][:40]}-{start:03d}.txt"
            path.write_text(
                f"{title}\n\n" + "\n\n".join(paragraphs[start : start + PARAGRAPHS_PER_FILE]) + "\n"
            )
            files.append(path)
    return files


async def sign_in(url: str, user: tuple[str, str]) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=url, timeout=REQUEST_TIMEOUT_S)
    response = await client.post("/login", data={"username": user[0], "password": user[1]})
    response.raise_for_status()
    return client


async def call(client: httpx.AsyncClient, api_name: str, data: list[Any]) -> tuple[str, Any]:
    """('complete', output) or ('error', message): one call of a named endpoint over HTTP."""
    posted = await client.post(f"/gradio_api/call/{api_name}", json={"data": data})
    if posted.status_code != 200:
        return "error", f"HTTP {posted.status_code}: {posted.text[:200]}"
    event_id = posted.json()["event_id"]
    event, payload = "error", "the stream ended without a result"
    async with client.stream("GET", f"/gradio_api/call/{api_name}/{event_id}") as stream:
        async for line in stream.aiter_lines():
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:") and event in ("complete", "error"):
                payload = json.loads(line[5:]) if line[5:].strip() not in ("", "null") else None
                break
    return ("complete", payload) if event == "complete" else ("error", str(payload)[:200])


async def asker(client: httpx.AsyncClient, asked: list[str], offset: int, phase: Phase, until: float) -> None:
    n = offset
    while time.monotonic() < until:
        question = asked[n % len(asked)]
        n += 1
        started = time.monotonic()
        try:
            kind, output = await call(client, "ask", [question, []])
        except (httpx.HTTPError, json.JSONDecodeError) as exc:
            kind, output = "error", f"{type(exc).__name__}: {exc}"
        if kind == "complete" and isinstance(output, list) and output and isinstance(output[0], dict):
            phase.latencies.append(time.monotonic() - started)
            phase.abstained += bool(output[0].get("abstained"))
        else:
            phase.errors.append(str(output))


async def uploader(url: str, files: list[Path], phase: Phase, until: float) -> None:
    """Upload FILES_PER_UPLOAD files at a time, one batch after another, until the phase ends."""
    client = await sign_in(url, EDITOR)
    batch = 0
    try:
        while time.monotonic() < until:
            chosen = [files[(batch * FILES_PER_UPLOAD + k) % len(files)] for k in range(FILES_PER_UPLOAD)]
            if batch * FILES_PER_UPLOAD >= len(files):  # every file sent once: make the texts new
                for path in chosen:
                    path.write_text(path.read_text() + f"\nUpload round {batch}.\n")
            batch += 1
            started = time.monotonic()
            sent = [("files", (p.name, p.read_bytes(), "text/plain")) for p in chosen]
            response = await client.post("/gradio_api/upload", files=sent)
            response.raise_for_status()
            payload = [
                {"path": server_path, "orig_name": p.name, "meta": {"_type": "gradio.FileData"}}
                for server_path, p in zip(response.json(), chosen)
            ]
            kind, output = await call(client, "ingest", [payload])
            results = output[0] if kind == "complete" and isinstance(output, list) else []
            phase.uploads.append(
                {
                    "seconds": time.monotonic() - started,
                    "added": sum(r["outcome"] in ("added", "updated") for r in results),
                    "skipped": sum(r["outcome"] == "skipped" for r in results),
                    "error": None if kind == "complete" else str(output),
                }
            )
    finally:
        await client.aclose()


async def run_phase(
    url: str, name: str, users: int, seconds: float, files: list[Path] | None
) -> dict[str, Any]:
    phase = Phase(name)
    asked = questions()
    clients = [await sign_in(url, (f"reader{n:02d}", f"pass-{n:02d}")) for n in range(users)]
    started = time.monotonic()
    until = started + seconds
    jobs = [asker(client, asked, n * 7, phase, until) for n, client in enumerate(clients)]
    if files is not None:
        jobs.append(uploader(url, files, phase, until))
    await asyncio.gather(*jobs)
    elapsed = time.monotonic() - started
    for client in clients:
        await client.aclose()
    summary = phase.summary(elapsed, users)
    print(f"{name}: {json.dumps(summary)}", flush=True)
    return summary


def start_server(folder: Path, port: int, users: int) -> subprocess.Popen[bytes]:
    credentials = folder / "users"
    lines = [f"editor {EDITOR[0]}:{EDITOR[1]}"] + [f"reader reader{n:02d}:pass-{n:02d}" for n in range(users)]
    credentials.write_text("\n".join(lines) + "\n")
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "HF_HUB_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
        "ANONYMIZED_TELEMETRY": "False",
        "GRADIO_ANALYTICS_ENABLED": "False",
        "ASSISTANT_ASK_RATE": "0",
        "ASSISTANT_INGEST_RATE": "0",
    }
    command = [sys.executable, "-m", "assistant.cli", "--index-dir", str(folder / "index"), "serve"]
    command += ["--port", str(port), "--auth-file", str(credentials)]
    log = (folder / "server.log").open("wb")
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=folder)


def wait_until_up(url: str, server: subprocess.Popen[bytes], timeout_s: float = 300) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode} before it was up")
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise SystemExit("the server did not come up in time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--port", type=int, default=7871)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "load_results.json")
    args = parser.parse_args()
    url = f"http://127.0.0.1:{args.port}"
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        uploads = folder / "squad"
        uploads.mkdir()
        files = squad_files(uploads)
        server = start_server(folder, args.port, args.users)
        try:
            wait_until_up(url, server)
            idle = asyncio.run(run_phase(url, "idle", args.users, args.seconds, None))
            during = asyncio.run(run_phase(url, "upload", args.users, args.seconds, files))
        finally:
            server.terminate()
            server.wait(timeout=60)
        server_log = (folder / "server.log").read_text(errors="replace")
    result = {
        "measured": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "command": " ".join(sys.argv),
        "setup": {
            "server": "assistant serve on 127.0.0.1, sample corpus index, --auth-file (1 editor, a reader per user)",
            "ask": "each user asks the 71 sample questions in turn, no pause, no history",
            "upload": f"{FILES_PER_UPLOAD} files of {PARAGRAPHS_PER_FILE} SQuAD paragraphs per upload, back to back",
            "concurrency": "the page answers 8 requests at once; the rest wait in Gradio's queue",
        },
        "idle": idle,
        "during_upload": during,
        "server_errors_logged": server_log.count("ERROR"),
    }
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()

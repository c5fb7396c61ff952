"""A minimal Chrome DevTools Protocol client over --remote-debugging-pipe (Python standard
library only): starts Debian's chromium headless, drives one page with real mouse and keyboard
input events, evaluates JavaScript and takes screenshots. Messages are JSON, each ended by a NUL
byte, on the browser's file descriptors 3 (commands in) and 4 (answers and events out)."""

import base64
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time


class CdpError(Exception):
    pass


class Browser:
    def __init__(self, binary, width=1280, height=900):
        self.profile = tempfile.mkdtemp(prefix="keyhaven-console-chromium-")
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def wire():  # in the child: the pipe ends at fds 3 and 4, whatever they were
            a = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD, 10)
            b = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD, 10)
            os.dup2(a, 3)
            os.dup2(b, 4)

        args = [binary, "--headless=new", "--remote-debugging-pipe", "--no-first-run",
                "--no-default-browser-check", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-extensions", "--disable-background-networking", "--disable-sync",
                "--metrics-recording-only", "--mute-audio", f"--window-size={width},{height}",
                f"--user-data-dir={self.profile}"]
        if os.geteuid() == 0:
            args.append("--no-sandbox")  # chromium refuses to run its sandbox as root
        self.process = subprocess.Popen(args + ["about:blank"], preexec_fn=wire, pass_fds=(3, 4),
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=open(os.path.join(self.profile, "stderr.log"), "wb"))
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._next_id = 0
        self._answers = {}
        self.events = []
        self._lock = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        self.session = None
        target = self.send("Target.createTarget", {"url": "about:blank"}, browser=True)["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True},
                                 browser=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.send(f"{domain}.enable")
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})

    def _read(self):
        buffer = b""
        while True:
            chunk = os.read(self._from_chrome, 65536)
            if not chunk:
                with self._lock:
                    self._lock.notify_all()
                return
            buffer += chunk
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                message = json.loads(raw)
                with self._lock:
                    if "id" in message:
                        self._answers[message["id"]] = message
                    else:
                        self.events.append(message)
                    self._lock.notify_all()

    def send(self, method, params=None, browser=False, timeout=30):
        with self._lock:
            self._next_id += 1
            mid = self._next_id
        message = {"id": mid, "method": method, "params": params or {}}
        if self.session and not browser:
            message["sessionId"] = self.session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        with self._lock:
            while mid not in self._answers:
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    raise CdpError(f"{method}: no answer from chromium")
                self._lock.wait(left)
            answer = self._answers.pop(mid)
        if "error" in answer:
            raise CdpError(f"{method}: {answer['error']}")
        return answer.get("result", {})

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "awaitPromise": True,
                                                "returnByValue": True})
        if "exceptionDetails" in result:
            raise CdpError(f"{expression[:80]}: {result['exceptionDetails'].get('exception', {}).get('description')}")
        return result["result"].get("value")

    def navigate(self, url):
        self.send("Page.navigate", {"url": url})

    def wait_for(self, expression, what, timeout=60):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            try:
                # An element (an object) counts as found; strings, numbers and arrays come back.
                last = self.evaluate(f"(v => v && typeof v === 'object' && !Array.isArray(v) ? true : v)({expression})")
                if last:
                    return last
            except CdpError as e:
                last = str(e)
            time.sleep(0.1)
        raise CdpError(f"timed out waiting for {what} (last: {last!r})")

    def _center(self, selector):
        box = self.evaluate(f"""(() => {{ const e = document.querySelector({json.dumps(selector)});
            if (!e || e.disabled) return null; e.scrollIntoView({{block: 'center'}});
            const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }})()""")
        if not box:
            raise CdpError(f"no enabled element {selector}")
        return box

    def click(self, selector):
        """A real mouse click (press and release) at the element's centre."""
        x, y = self._center(selector)
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left",
                                                   "clickCount": 1})

    def type(self, selector, text):
        """Focuses the field, selects what it holds and types `text` over it."""
        self.click(selector)
        self.evaluate(f"document.querySelector({json.dumps(selector)}).select()")
        self.send("Input.insertText", {"text": text})

    def key(self, name, code, key_code):
        for kind in ("keyDown", "keyUp"):
            self.send("Input.dispatchKeyEvent", {"type": kind, "key": name, "code": code,
                                                 "windowsVirtualKeyCode": key_code})

    def screenshot(self, path):
        metrics = self.send("Page.getLayoutMetrics")["cssContentSize"]
        shot = self.send("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": metrics["width"], "height": metrics["height"], "scale": 1}})
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))

    def problems(self):
        """Console errors, uncaught exceptions and Content-Security-Policy violations so far."""
        found = []
        with self._lock:
            for e in self.events:
                if e.get("method") == "Runtime.exceptionThrown":
                    found.append(e["params"]["exceptionDetails"].get("exception", {}).get("description", "exception"))
                elif e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error":
                    found.append(e["params"]["entry"]["text"])
                elif e.get("method") == "Runtime.consoleAPICalled" and e["params"]["type"] == "error":
                    found.append(" ".join(str(a.get("value", a.get("description"))) for a in e["params"]["args"]))
        return found

    def close(self):
        try:
            self.send("Browser.close", browser=True, timeout=5)
        except CdpError:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)

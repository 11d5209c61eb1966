#!/usr/bin/env python3
"""Runs a command in a real pseudo-terminal of a given size and plays a keystroke script.

Usage: terminal.py '<json>', or terminal.py --serve, which reads one such JSON a line from stdin and answers each
with its result on a line of stdout (one Python start-up for many runs). The JSON is
  {"argv": [...], "cwd": "...", "env": {...}, "cols": 80, "rows": 24, "timeout": 20,
   "steps": [{"expect": "<regex on the text written since the last step>", "send": "<keys>"}, ...]}
Prints one JSON object: {"out": terminal output, "err": stderr (a pipe, not the terminal),
"code": exit code (128 + signal when killed by one), "timedOut": bool, "pending": the step not reached}.
"""
import fcntl
import json
import os
import pty
import re
import select
import struct
import sys
import termios
import time

ANSI = re.compile(r'\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]')


def run(spec):
    cols, rows = spec.get('cols', 80), spec.get('rows', 24)
    err_r, err_w = os.pipe()
    pid, fd = pty.fork()
    if pid == 0:
        # The child's terminal gets its size before the program starts and reads it.
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
        os.close(err_r)
        os.dup2(err_w, 2)
        os.chdir(spec['cwd'])
        os.execvpe(spec['argv'][0], spec['argv'], spec['env'])
    os.close(err_w)
    deadline = time.time() + spec.get('timeout', 20)
    out, err = b'', b''
    steps = list(spec.get('steps', []))
    seen, seen_err = 0, 0  # the part of the output earlier steps have consumed
    open_fds = {fd, err_r}
    timed_out = False
    while open_fds:
        if time.time() > deadline:
            timed_out = True
            os.kill(pid, 9)
            break
        ready, _, _ = select.select(list(open_fds), [], [], 0.05)
        for r in ready:
            try:
                chunk = os.read(r, 65536)
            except OSError:
                chunk = b''
            if not chunk:
                open_fds.discard(r)
                continue
            if r == fd:
                out += chunk
            else:
                err += chunk
        if steps:
            text = ANSI.sub('', (out[seen:] + b'\n' + err[seen_err:]).decode('utf-8', 'replace'))
            step = steps[0]
            if re.search(step['expect'], text):
                time.sleep(step.get('delay', 0.02))
                os.write(fd, step['send'].encode('utf-8'))
                seen, seen_err = len(out), len(err)
                steps.pop(0)
    _, status = os.waitpid(pid, 0)
    for f in (fd, err_r):
        try:
            os.close(f)
        except OSError:
            pass
    code = os.waitstatus_to_exitcode(status)
    if code < 0:
        code = 128 - code
    return {
        'out': out.decode('utf-8', 'replace'),
        'err': err.decode('utf-8', 'replace'),
        'code': code,
        'timedOut': timed_out,
        'pending': steps[0]['expect'] if steps else None,
    }


def main():
    if sys.argv[1] != '--serve':
        print(json.dumps(run(json.loads(sys.argv[1]))))
        return
    for line in sys.stdin:
        sys.stdout.write(json.dumps(run(json.loads(line))) + '\n')
        sys.stdout.flush()


main()

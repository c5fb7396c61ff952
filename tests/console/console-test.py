#!/usr/bin/env python3
"""The web console in headless Chromium against a running ./kms dev server (docs/console.md):
   python3 tests/console/console-test.py <data-dir> <output-dir>
Reads the server's endpoint and token from <data-dir>/dev.env. Signs in (a bad token refused, the
token, then the one-click development root), creates a key, adds an alias, edits the key policy (a
malformed one shows AWS's MalformedPolicyDocumentException, a valid one is saved), tags and
untags it, creates and revokes a grant, rotates it,
disables it, schedules its deletion, finds the events of those actions with LookupEvents, opens
one event's JSON, verifies the trail; encrypts/decrypts and signs/verifies a text on the "Try it"
page; cancels the deletion, enables the key again and deletes its alias. Every form control must have a label, and the page must log no error and no
Content-Security-Policy violation. Screenshots of the key list, a key page and the audit page go
to <output-dir>. Each check prints PASS or FAIL; any failure fails the run (exit 1)."""

import json
import os
import shutil
import sys
import time

sys.dont_write_bytecode = True  # leave no __pycache__ in the tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdp import Browser, CdpError  # noqa: E402

EVENTS = ["CreateKey", "CreateAlias", "PutKeyPolicy", "RotateKeyOnDemand", "DisableKey", "ScheduleKeyDeletion"]
VALID_POLICY = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Sid": "ConsoleTest", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
    "Action": "kms:*", "Resource": "*"}]})

ALIAS = f"alias/console-test-{int(time.time())}"  # unique, so a rerun on one data directory passes
passed, failed = [], []
EXPECTED_CHECKS = 23  # a run that skipped a check proves less: it fails


def check(name, fn):
    try:
        detail = fn()
        passed.append(name)
        print(f"PASS {name}{': ' + str(detail) if detail else ''}", flush=True)
        return detail
    except Exception as e:  # every check runs and reports
        failed.append(name)
        print(f"FAIL {name}: {e}", flush=True)
        return None


def env(data_dir):
    values = {}
    with open(os.path.join(data_dir, "dev.env")) as f:
        for line in f:
            if line.startswith("export ") and "=" in line:
                k, v = line[len("export "):].strip().split("=", 1)
                values[k] = v.strip("'\"")
    return values


def text(selector):
    return f"((document.querySelector({json.dumps(selector)}) || {{}}).textContent || '')"


def create_key_in_ui(b, description, spec=None, usage=None):
    """The key list's "Create a key" form; returns the new key's id once its page shows."""
    b.evaluate("location.hash = '#/keys'")
    b.wait_for("document.querySelector('#create-key')", "the key list")
    b.type("input[name=description]", description)
    if spec:
        b.evaluate(f"(s => {{ s.value = '{spec}'; s.dispatchEvent(new Event('change')); }})"
                   "(document.querySelector('select[name=key-spec]'))")
        b.evaluate(f"document.querySelector('select[name=key-usage]').value = '{usage}'")
    b.click("#create-key")
    return b.wait_for("location.hash.startsWith('#/keys/') && document.querySelector('#key-state') "
                      "&& location.hash.slice(7)", "the new key's page")


def main():
    data_dir, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    dev = env(data_dir)
    console = dev["KMS_ENDPOINT"].rstrip("/") + "/console/"
    binary = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not binary:
        print("FAIL chromium not found (apt-get install chromium)")
        return 1
    started = time.monotonic()
    b = Browser(binary)
    state = {}
    try:
        b.navigate(console)
        b.wait_for("document.querySelector('#token-sign-in')", "the sign-in page")

        def every_control_labelled():
            unlabelled = b.evaluate("""[...document.querySelectorAll('input, select, textarea')]
                .filter(e => !e.labels.length && !e.getAttribute('aria-label')).map(e => e.name || e.id)""")
            assert not unlabelled, f"controls without a label: {unlabelled}"
            return None

        check("sign-in page: every control has a label", every_control_labelled)

        def keyboard_skip_link():
            b.key("Tab", "Tab", 9)
            focused = b.evaluate("document.activeElement.textContent")
            assert focused == "Skip to content", f"first Tab focused {focused!r}"

        check("keyboard: the first Tab reaches the skip link", keyboard_skip_link)

        def bad_token_refused():
            b.type("textarea[name=token]", "not-a-jwt")
            b.click("#token-sign-in")
            return b.wait_for(f"(t => t.includes('Sign-in failed') && t)({text('#status')})", "the refusal")

        check("a malformed bearer token is refused with AWS's error", bad_token_refused)

        def token_sign_in():
            b.type("textarea[name=token]", dev["KMS_TOKEN"])
            b.click("#token-sign-in")
            b.wait_for("document.querySelector('#key-table')", "the key list")
            who = b.evaluate(text("#who"))
            assert "bearer token" in who, who
            b.click("#sign-out")
            b.wait_for("document.querySelector('#dev-sign-in')", "the sign-in page again")

        check("sign in with the bearer token (then sign out)", token_sign_in)

        def dev_sign_in():
            b.click("#dev-sign-in")
            b.wait_for("document.querySelector('#key-table')", "the key list")
            who = b.evaluate(text("#who"))
            assert "access key test" in who, who
            stored = b.evaluate("localStorage.length + sessionStorage.length + document.cookie.length")
            assert stored == 0, f"{stored} items in web storage or cookies"

        check("one-click development sign-in (SigV4 with Web Crypto), nothing stored", dev_sign_in)

        def create_key():
            key_id = create_key_in_ui(b, "console test key")
            assert b.evaluate(text("#key-state")) == "Enabled"
            state["key"] = key_id
            return key_id

        check("create a key", create_key)

        def add_alias():
            b.type("#alias-name", ALIAS)
            b.click("#create-alias")
            b.wait_for(f"{text('#status')} === 'Alias {ALIAS} created.'", "the status")
            b.wait_for("[...document.querySelectorAll('section[aria-label=Aliases] td')]"
                       f".some(td => td.textContent === '{ALIAS}')", "the alias in the table")

        check("add an alias", add_alias)

        def malformed_policy():
            b.type("#policy", '{"Version": "2012-10-17", "Statement": [')
            b.click("#save-policy")
            return b.wait_for(f"(t => t.startsWith('MalformedPolicyDocumentException') && t)({text('#policy-error')})",
                              "AWS's error under the policy")

        check("a malformed key policy shows AWS's MalformedPolicyDocumentException", malformed_policy)

        def valid_policy():
            b.type("#policy", VALID_POLICY)
            b.click("#save-policy")
            b.wait_for("(document.querySelector('#policy') || {}).value.includes('\"Sid\": \"ConsoleTest\"')",
                       "the saved, formatted policy")
            assert b.evaluate(text("#policy-error")) == ""

        check("a valid key policy is saved and shown formatted", valid_policy)

        def tag_untag():
            b.type("input[name=tag-key]", "team")
            b.type("input[name=tag-value]", "payments")
            b.click("section[aria-label=Tags] button")
            b.wait_for("[...document.querySelectorAll('section[aria-label=Tags] td')].some(td => td.textContent === 'payments')",
                       "the tag in the table")
            b.click("section[aria-label=Tags] td button")
            b.wait_for(f"{text('section[aria-label=Tags]')}.includes('No tags.')", "no tags")

        check("tag and untag the key", tag_untag)

        def grant_revoke():
            b.type("input[name=grantee]", "arn:aws:iam::111122223333:role/App")
            b.evaluate("[...document.querySelector('select[name=operations]').options]"
                       ".forEach(o => { o.selected = ['Decrypt', 'Encrypt'].includes(o.value); })")
            b.click("section[aria-label=Grants] fieldset button")
            grant = b.wait_for("(r => r && r.cells[0].textContent)(document.querySelector('section[aria-label=Grants] tbody tr'))",
                               "the grant in the table")
            ops = b.evaluate(f"{text('section[aria-label=Grants] tbody tr')}")
            assert "Decrypt, Encrypt" in ops, ops
            b.click("section[aria-label=Grants] tbody tr button:last-child")  # Revoke
            b.wait_for(f"{text('section[aria-label=Grants]')}.includes('No grants.')", "no grants")
            return f"grant {grant[:12]}… created and revoked"

        check("create a grant and revoke it", grant_revoke)

        def rotate():
            before = b.evaluate("document.querySelectorAll('#rotations tbody tr').length")
            b.click("#rotate-now")
            rows = b.wait_for(f"document.querySelectorAll('#rotations tbody tr').length > {before} "
                              "&& document.querySelectorAll('#rotations tbody tr').length", "a new rotation row")
            b.screenshot(os.path.join(out, "key-page.png"))
            return f"ListKeyRotations rows {before} -> {rows}"

        check("rotate now (ListKeyRotations shows it)", rotate)

        def disable():
            b.click("#disable-key")
            b.wait_for(f"{text('#key-state')} === 'Disabled'", "state Disabled")

        check("disable the key", disable)

        def schedule_deletion():
            b.type("#deletion-days", "7")
            b.click("#schedule-deletion")
            b.wait_for(f"{text('#key-state')} === 'PendingDeletion'", "state PendingDeletion")
            shown = b.evaluate("[...document.querySelectorAll('dl.meta dt')].some(d => d.textContent === 'Deletion date')")
            assert shown, "no deletion date shown"

        check("schedule deletion in 7 days (deletion date shown)", schedule_deletion)

        def key_list():
            b.evaluate("location.hash = '#/keys'")
            b.wait_for(f"(r => r && r.textContent.includes('PendingDeletion') && r.textContent.includes('{ALIAS}'))"
                       f"([...document.querySelectorAll('#key-table tr')].find(r => r.textContent.includes({json.dumps(state.get('key', '?'))})))",
                       "the key's row with its state and alias")
            every_control_labelled()
            b.screenshot(os.path.join(out, "key-list.png"))

        check("the key list shows the key, its alias and state", key_list)

        def lookup_events():
            b.evaluate("location.hash = '#/audit'")
            b.wait_for("document.querySelector('#lookup-events')", "the audit page")
            b.type("input[name=key-id]", state["key"])
            b.click("#lookup-events")
            names_js = "[...document.querySelectorAll('#events tbody tr')].map(r => r.cells[1].textContent)"
            all_found = f"(n => {json.dumps(EVENTS)}.every(e => n.includes(e)) && n)({names_js})"
            # Newest first, 50 a page: the page views' reads come first; "More events" pages on.
            for _ in range(10):
                b.wait_for(f"{names_js}.length > 0 && !document.querySelector('#lookup-events').disabled "
                           "&& !document.querySelector('#more-events').disabled", "the events")
                if b.evaluate(all_found) or b.evaluate("document.querySelector('#more-events').hidden"):
                    break
                count = b.evaluate(f"{names_js}.length")
                b.click("#more-events")
                b.wait_for(f"{names_js}.length > {count}", "the next page of events")
            names = b.wait_for(all_found, "every action's event")
            errors = b.evaluate("[...document.querySelectorAll('#events tbody tr')]"
                                ".filter(r => r.cells[1].textContent === 'PutKeyPolicy').map(r => r.cells[3].textContent)")
            assert "MalformedPolicyDocumentException" in errors and "" in errors, errors
            every_control_labelled()
            return f"{len(names)} events"

        check("LookupEvents by key id finds every action (the refused policy with its error code)", lookup_events)

        def event_json():
            b.click("#events tbody tr button")
            detail = b.wait_for(f"(t => t.includes('\"eventName\"') && t)({text('#event-detail pre')})", "an event's JSON")
            event = json.loads(detail)
            assert event["eventSource"] == "kms.amazonaws.com", event.get("eventSource")

        check("an event's full CloudTrail JSON", event_json)

        def chart():
            bars = b.evaluate("document.querySelectorAll('#audit-chart rect.req').length")
            assert bars >= 1, "no bars"
            return f"{bars} bars"

        check("the requests/errors chart is drawn", chart)

        def verify():
            b.click("#verify-trail")
            verdict = b.wait_for(f"(t => t.startsWith('Valid') && t)({text('#verify-result')})", "the verdict", timeout=120)
            b.screenshot(os.path.join(out, "audit.png"))
            return verdict

        check("VerifyAuditTrail: valid", verify)

        def try_encrypt():
            create_key_in_ui(b, "try it")
            b.evaluate("location.hash = '#/try'")
            b.wait_for("document.querySelector('#encrypt')", "the try-it page")
            b.type("#plaintext", "secret note 42")
            b.click("#encrypt")
            blob = b.wait_for("document.querySelector('#ciphertext').value", "the ciphertext")
            b.click("#decrypt")
            b.wait_for(f"{text('#decrypted')} === 'secret note 42'", "the decrypted text")
            return f"{len(blob)} base64 characters"

        check("try it: encrypt and decrypt a text", try_encrypt)

        def try_sign():
            create_key_in_ui(b, "signing", "ECC_NIST_P256", "SIGN_VERIFY")
            b.evaluate("location.hash = '#/try'")
            b.wait_for("document.querySelector('#sign')", "the try-it page")
            b.click("#sign")
            b.wait_for("document.querySelector('#signature').value", "the signature")
            b.click("#verify")
            b.wait_for(f"{text('#verify-result')} === 'Valid signature.'", "a valid verdict")
            b.type("input[name=message]", "tampered")
            b.click("#verify")
            return b.wait_for(f"(t => t.includes('KMSInvalidSignatureException') && t)({text('#status')})",
                              "the refusal of a changed message")

        check("try it: sign and verify (a changed message refused)", try_sign)

        def cancel_enable_unalias():
            b.evaluate(f"location.hash = '#/keys/{state['key']}'")
            b.wait_for(f"{text('#key-state')} === 'PendingDeletion'", "the first key's page")
            b.click("#cancel-deletion")
            b.wait_for(f"{text('#key-state')} === 'Disabled'", "state Disabled")
            b.click("#enable-key")
            b.wait_for(f"{text('#key-state')} === 'Enabled'", "state Enabled")
            b.click("section[aria-label=Aliases] td button")
            b.wait_for(f"{text('section[aria-label=Aliases]')}.includes('No aliases.')", "no aliases")

        check("cancel the deletion, enable the key, delete its alias", cancel_enable_unalias)

        def no_page_errors():
            # Expected: the browser logs each AWS error answer (the refused token, policy, signature).
            problems = [p for p in b.problems() if "the server responded with a status of 4" not in p]
            assert not problems, problems

        check("no script error and no Content-Security-Policy violation", no_page_errors)
    finally:
        b.close()
    print(f"console test: {len(passed)} passed, {len(failed)} failed, {time.monotonic() - started:.0f} s; "
          f"screenshots in {out}")
    return 1 if failed or len(passed) != EXPECTED_CHECKS else 0


if __name__ == "__main__":
    sys.exit(main())

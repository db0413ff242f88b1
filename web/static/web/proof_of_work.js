/*
 * Solves the signing form's proof-of-work challenge before the form is sent
 * (campaigns/challenges/proof_of_work.py; docs/petitions.md).
 *
 * An external file, because the CSP allows no inline script without a nonce:
 *
 *   <form method="post" data-proof-of-work="/api/v1/petitions/challenge/">
 *     …
 *     <p data-proof-of-work-error hidden>{% translate "…" %}</p>
 *   </form>
 *   <script src="{% static 'web/proof_of_work.js' %}" defer></script>
 *
 * It fetches a challenge once the visitor starts on the form (readers spend nothing), finds a
 * decimal counter such that SHA-256(token + counter) starts with `bits` zero bits, and puts
 * token and counter in hidden fields `challenge_token` and `challenge_counter`. Hashes run in
 * batches, each awaited, so the page stays responsive without a Worker. No text lives here:
 * on failure it only unhides the form's own [data-proof-of-work-error] element.
 */
(function () {
  "use strict";

  var BATCH = 512;
  var SAFETY_MS = 30000; // ask for a new token this long before the old one expires

  function leadingZeroBits(bytes) {
    var bits = 0;
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) {
        bits += 8;
        continue;
      }
      return bits + Math.clz32(bytes[i]) - 24;
    }
    return bits;
  }

  async function solve(token, bits) {
    var encoder = new TextEncoder();
    for (var start = 0; ; start += BATCH) {
      var hashes = [];
      for (var n = start; n < start + BATCH; n++) {
        hashes.push(crypto.subtle.digest("SHA-256", encoder.encode(token + n)));
      }
      var digests = await Promise.all(hashes);
      for (var i = 0; i < digests.length; i++) {
        if (leadingZeroBits(new Uint8Array(digests[i])) >= bits) {
          return String(start + i);
        }
      }
    }
  }

  async function fetchAndSolve(url) {
    var response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "omit" });
    if (!response.ok) {
      throw new Error("challenge: HTTP " + response.status);
    }
    var challenge = await response.json();
    var counter = challenge.bits > 0 ? await solve(challenge.token, challenge.bits) : "";
    var lifetime = challenge.bits > 0 ? challenge.expires_in * 1000 - SAFETY_MS : Infinity;
    return { token: challenge.token, counter: counter, expiresAt: Date.now() + lifetime };
  }

  function hiddenField(form, name) {
    var field = form.querySelector('input[name="' + name + '"]');
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = name;
      form.appendChild(field);
    }
    return field;
  }

  function wire(form) {
    var url = form.getAttribute("data-proof-of-work");
    var error = form.querySelector("[data-proof-of-work-error]");
    var pending = null;
    var ready = false;

    function solution() {
      if (pending === null) {
        pending = fetchAndSolve(url);
      }
      return pending.then(function (solved) {
        if (solved.expiresAt > Date.now()) {
          return solved;
        }
        pending = fetchAndSolve(url);
        return pending;
      });
    }

    form.addEventListener("focusin", function () { solution().catch(function () { pending = null; }); }, { once: true });
    form.addEventListener("submit", function (event) {
      if (ready) {
        return; // our own resubmission, with the fields filled in
      }
      event.preventDefault();
      var submitter = event.submitter || null;
      form.setAttribute("aria-busy", "true");
      if (error) {
        error.hidden = true;
      }
      solution().then(function (solved) {
        hiddenField(form, "challenge_token").value = solved.token;
        hiddenField(form, "challenge_counter").value = solved.counter;
        ready = true;
        pending = null; // a token signs once: a second submission (after an error page) needs a new one
        if (form.requestSubmit) {
          form.requestSubmit(submitter);
        } else {
          form.submit();
        }
        ready = false;
      }).catch(function () {
        pending = null;
        if (error) {
          error.hidden = false;
        }
      }).finally(function () {
        form.removeAttribute("aria-busy");
      });
    });
  }

  var api = { solve: solve, leadingZeroBits: leadingZeroBits };
  if (typeof globalThis !== "undefined") {
    globalThis.TownhallProofOfWork = api; // for pages that send the form themselves, and for tests
  }
  if (typeof document !== "undefined") {
    document.querySelectorAll("form[data-proof-of-work]").forEach(wire);
  }
})();

// The residents' share calculator: for a floor area typed in, the share each listed amount gives
// a unit of that area under the ledger's apportionment rule (src/ledger/shares.rs `apportion`,
// data from src/compute/share_calc.rs). Integer arithmetic only (BigInt fen and 0.01 ㎡), never
// floating point. Without JavaScript the form stays hidden and the per-㎡ rate is shown.
(function () {
  'use strict';

  // Interface texts come from the template (data-msg-* on the form), with {name} placeholders.
  function msg(form, name, values) {
    var text = form.getAttribute('data-msg-' + name) || '';
    return text.replace(/\{(\w+)\}/g, function (_, key) {
      return values && key in values ? String(values[key]) : '';
    });
  }

  // "89.65", "８９.６５㎡", "89" → 8965n (0.01 ㎡), or the name of an error message.
  function parseArea(text) {
    var t = text.replace(/[０-９．]/g, function (ch) {
      return String.fromCharCode(ch.charCodeAt(0) - 0xfee0);
    }).replace(/\s+/g, '').replace(/(㎡|m2|m²|平方米|平米)$/i, '').replace(/,/g, '');
    if (t === '') {
      return { error: 'empty' };
    }
    var m = /^(\d{1,9})(?:\.(\d{0,2}))?$/.exec(t);
    if (!m) {
      return { error: /^\d+\.\d{3,}$/.test(t) ? 'decimals' : 'digits' };
    }
    var hundredths = BigInt(m[1]) * 100n + BigInt(((m[2] || '') + '00').slice(0, 2));
    if (hundredths === 0n) {
      return { error: 'zero' };
    }
    return { area: hundredths };
  }

  // 1234567n fen → "¥12,345.67"
  function yuan(fen) {
    var negative = fen < 0n;
    if (negative) {
      fen = -fen;
    }
    var whole = (fen / 100n).toString();
    var cents = (fen % 100n).toString().padStart(2, '0');
    var grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return (negative ? '-' : '') + '¥' + grouped + '.' + cents;
  }

  // The share of `area` in `total` over `basis`: [low, high] fen (equal when exact).
  function share(item, area) {
    var total = BigInt(item.getAttribute('data-calc-total'));
    var basis = BigInt(item.getAttribute('data-calc-basis'));
    var rule = item.getAttribute('data-calc-rule');
    var exact = total * area;
    if (rule === 'half-up-last') {
      var rounded = (2n * exact + basis) / (2n * basis);
      return [rounded, rounded];
    }
    var base = exact / basis;
    var rem = exact % basis;
    var cutIn = item.getAttribute('data-calc-cut-in');
    var cutOut = item.getAttribute('data-calc-cut-out');
    if (rem === 0n) {
      return [base, base];
    }
    if (cutOut !== null && rem > BigInt(cutOut)) {
      return [base + 1n, base + 1n];
    }
    if (cutOut !== null && (cutIn === null || rem < BigInt(cutIn))) {
      return [base, base];
    }
    return [base, base + 1n];
  }

  function setUp(section) {
    var form = section.querySelector('[data-calc-form]');
    if (!form || typeof BigInt !== 'function') {
      return;
    }
    var input = form.querySelector('input');
    var error = form.querySelector('.calc-error');
    form.hidden = false;
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var parsed = parseArea(input.value);
      error.hidden = !parsed.error;
      error.textContent = parsed.error ? msg(form, 'error-' + parsed.error) : '';
      input.setAttribute('aria-invalid', parsed.error ? 'true' : 'false');
      section.querySelectorAll('[data-calc-total]').forEach(function (item) {
        var out = item.querySelector('output');
        if (parsed.error) {
          out.hidden = true;
          out.textContent = '';
          return;
        }
        var range = share(item, parsed.area);
        out.textContent = range[0] === range[1]
          ? msg(form, 'share', { share: yuan(range[0]) })
          : msg(form, 'share-either', { low: yuan(range[0]), high: yuan(range[1]) });
        out.hidden = false;
      });
    });
  }

  document.querySelectorAll('[data-share-calc]').forEach(setUp);
})();

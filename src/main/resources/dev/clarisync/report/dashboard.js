(function () {
  'use strict';

  // Everything drawn comes from this JSON (aggregates written by the report command). Text from the warehouse is
  // only ever set with textContent, never parsed as HTML.
  var D = JSON.parse(document.getElementById('report-data').textContent);
  var SVG = 'http://www.w3.org/2000/svg';
  var DAY_MS = 86400000;
  var W = 640; // viewBox width of every chart; the SVG scales to its card

  // ---- small helpers ----
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    setAll(e, attrs);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function sv(tag, attrs, text) {
    var e = document.createElementNS(SVG, tag);
    setAll(e, attrs);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function setAll(e, attrs) {
    if (!attrs) { return; }
    Object.keys(attrs).forEach(function (k) {
      if (attrs[k] !== undefined && attrs[k] !== null) { e.setAttribute(k, String(attrs[k])); }
    });
  }
  function tip(node, text) { node.appendChild(sv('title', null, text)); return node; }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function plotOf(id) { return document.querySelector('#' + id + ' .plot'); }
  function empty(plot, text) { clear(plot); plot.appendChild(el('p', { 'class': 'empty' }, text)); }
  function dayIso(d) { return new Date(d * DAY_MS).toISOString().slice(0, 10); }
  function isoDay(s) {
    if (!s) { return null; }
    var t = Date.parse(s + 'T00:00:00Z');
    return isNaN(t) ? null : Math.floor(t / DAY_MS);
  }
  function shortDate(d) {
    var dt = new Date(d * DAY_MS);
    return dt.toLocaleDateString('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });
  }
  function when(iso) {
    if (!iso) { return '—'; }
    var t = new Date(iso);
    return isNaN(t) ? String(iso) : t.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  }
  function ago(iso) {
    var t = Date.parse(iso);
    if (isNaN(t)) { return ''; }
    var s = Math.max(0, (Date.now() - t) / 1000);
    if (s < 90) { return 'just now'; }
    if (s < 5400) { return Math.round(s / 60) + ' min ago'; }
    if (s < 129600) { return Math.round(s / 3600) + ' h ago'; }
    return Math.round(s / 86400) + ' days ago';
  }
  function pct(x) { return x === null || isNaN(x) ? '—' : Math.round(x * 100) + '%'; }
  function num(x, digits) {
    if (x === null || x === undefined || isNaN(x)) { return '—'; }
    return Number(x).toLocaleString('en', { maximumFractionDigits: digits || 0, minimumFractionDigits: digits || 0 });
  }
  function clip(s, n) {
    s = s === null || s === undefined ? '' : String(s).replace(/\s+/g, ' ').trim();
    return s.length > n ? s.slice(0, n - 1) + '…' : s;
  }

  // ---- the date range ----
  var weeks = D.weekly.map(function (r) { return r[0]; });
  var firstDay = weeks.length ? weeks[0] : null;
  var lastDay = weeks.length ? weeks[weeks.length - 1] + 6 : null;
  var range = { from: firstDay, to: lastDay };

  // a week counts when it overlaps the range
  function weekIn(w) {
    return (range.from === null || w + 6 >= range.from) && (range.to === null || w <= range.to);
  }
  function dayIn(d) {
    return d !== null && (range.from === null || d >= range.from) && (range.to === null || d <= range.to);
  }

  // ---- the charts ----
  function drawKpis() {
    var calls = 0, withMetrics = 0, tlr = 0, questions = 0;
    D.weekly.forEach(function (r) {
      if (weekIn(r[0])) { calls += r[1]; withMetrics += r[2]; tlr += r[3]; questions += r[4]; }
    });
    var reps = {};
    D.repWeeks.forEach(function (r) { if (weekIn(r[1]) && r[2] > 0) { reps[r[0]] = true; } });
    var deals = D.deals.filter(dealIn);
    var open = deals.filter(function (d) { return d[4] === 1; }).length;
    var box = document.getElementById('kpis');
    clear(box);
    [[num(calls), 'calls'],
     [pct(withMetrics ? tlr / withMetrics : null), 'average talk/listen ratio'],
     [num(withMetrics ? questions / withMetrics : null, 1), 'questions by reps per call'],
     [num(Object.keys(reps).length), 'reps on calls'],
     [num(deals.length) + ' / ' + num(open), 'deals touched / still open']].forEach(function (k) {
      var d = el('div', { 'class': 'kpi' });
      d.appendChild(el('div', { 'class': 'v' }, k[0]));
      d.appendChild(el('div', { 'class': 'l' }, k[1]));
      box.appendChild(d);
    });
  }

  /** Per rep over the range: calls, calls with metrics, ratio sum, questions, engaging. */
  function repTotals() {
    var t = {};
    D.repWeeks.forEach(function (r) {
      if (!weekIn(r[1])) { return; }
      var a = t[r[0]] || (t[r[0]] = { rep: D.reps[r[0]], calls: 0, withMetrics: 0, tlr: 0, questions: 0, engaging: 0 });
      a.calls += r[2]; a.withMetrics += r[3]; a.tlr += r[4]; a.questions += r[5]; a.engaging += r[6];
    });
    return Object.keys(t).map(function (k) { return t[k]; }).filter(function (a) { return a.withMetrics > 0; });
  }
  function repLabel(rep) { return rep[1] || rep[2] || rep[0] || '(unknown)'; }

  /**
   * Horizontal bars: rows of {label, values: [v...], tip}; series colours; value formatter; optional reference line (ref).
   * A value label that would sit on the reference line moves to its right, so the line never runs through a label.
   */
  function hbars(plot, rows, opts) {
    clear(plot);
    if (!rows.length) { empty(plot, opts.emptyText || 'No recorded calls in this range.'); return; }
    if (opts.legend) {
      var lg = el('div', { 'class': 'legend' });
      opts.legend.forEach(function (name, i) {
        var s = el('span');
        s.appendChild(el('i', { style: 'background:' + opts.colors[i] }));
        s.appendChild(document.createTextNode(name));
        lg.appendChild(s);
      });
      plot.appendChild(lg);
    }
    var series = rows[0].values.length;
    var barH = series > 1 ? 9 : 14, gap = series > 1 ? 8 : 6, rowH = barH * series + gap;
    var left = 170, right = 52, top = 6, bottom = 22;
    var h = top + rows.length * rowH + bottom;
    var max = opts.max;
    var ticks = opts.ticks;
    if (!max) {
      var top1 = Math.max.apply(null, rows.map(function (r) { return Math.max.apply(null, r.values); })) || 1;
      var step = niceStep(top1 / 4, false);
      max = Math.ceil(top1 / step - 1e-9) * step;
      ticks = [];
      for (var t = 0; t <= max + step / 2; t += step) { ticks.push(t); }
    }
    var x = function (v) { return left + (W - left - right) * Math.max(0, v) / max; };
    var svg = sv('svg', { viewBox: '0 0 ' + W + ' ' + h, role: 'img', 'aria-label': opts.label });
    var g = sv('g', { 'class': 'grid' });
    ticks.forEach(function (t) {
      g.appendChild(sv('line', { x1: x(t), x2: x(t), y1: top, y2: h - bottom }));
      g.appendChild(sv('text', { x: x(t), y: h - 6, 'text-anchor': 'middle', 'class': 'axis' }, opts.fmt(t)));
    });
    svg.appendChild(g);
    var hasRef = opts.ref !== undefined && opts.ref !== null;
    var refX = hasRef ? x(opts.ref) : null;
    var labels = [];
    rows.forEach(function (r, i) {
      var y = top + i * rowH;
      svg.appendChild(sv('text', { x: left - 8, y: y + (barH * series) / 2 + 4, 'text-anchor': 'end', 'font-size': 12 }, clip(r.label, 24)));
      r.values.forEach(function (v, s) {
        var bar = sv('rect', { 'class': 'mark', x: left, y: y + s * barH, width: Math.max(1, x(v) - left), height: barH - 1,
          rx: 2, fill: opts.colors[s] });
        svg.appendChild(tip(bar, r.tip));
        var text = opts.fmt(v), lx = x(v) + 4, width = text.length * 6.4 + 2;
        if (hasRef && lx - 3 <= refX && refX <= lx + width + 3) { lx = refX + 5; }
        labels.push(sv('text', { x: lx, y: y + s * barH + barH - 3, 'font-size': 10.5, 'class': 'axis val' }, text));
      });
    });
    if (hasRef) {
      svg.appendChild(tip(sv('line', { 'class': 'ref', x1: refX, x2: refX, y1: top - 2, y2: h - bottom, stroke: '#1d2433',
        'stroke-dasharray': '4 3', 'stroke-width': 1.2 }), opts.refTip));
    }
    labels.forEach(function (l) { svg.appendChild(l); }); // above the line, with a halo (see the CSS)
    plot.appendChild(svg);
  }

  function drawTalkListen() {
    var reps = repTotals().sort(function (a, b) { return b.calls - a.calls; }).slice(0, 25);
    reps.sort(function (a, b) { return b.tlr / b.withMetrics - a.tlr / a.withMetrics; });
    var all = 0, n = 0;
    D.weekly.forEach(function (r) { if (weekIn(r[0])) { all += r[3]; n += r[2]; } });
    hbars(plotOf('chart-talk-listen'), reps.map(function (a) {
      var ratio = a.tlr / a.withMetrics;
      return { label: repLabel(a.rep), values: [ratio],
        tip: repLabel(a.rep) + ': ' + pct(ratio) + ' talk/listen over ' + a.withMetrics + ' recorded calls (' + a.calls + ' calls)' };
    }), { max: 1, ticks: [0, 0.25, 0.5, 0.75, 1], fmt: pct, colors: ['#2f6fdf'], label: 'Talk/listen ratio by rep',
      ref: n ? all / n : null, refTip: 'Average of all calls: ' + pct(n ? all / n : null) });
  }

  function drawQuestions() {
    var reps = repTotals().sort(function (a, b) { return b.calls - a.calls; }).slice(0, 20);
    reps.sort(function (a, b) { return b.questions / b.withMetrics - a.questions / a.withMetrics; });
    hbars(plotOf('chart-questions'), reps.map(function (a) {
      var q = a.questions / a.withMetrics, e = a.engaging / a.withMetrics;
      return { label: repLabel(a.rep), values: [q, e],
        tip: repLabel(a.rep) + ': ' + num(q, 1) + ' questions and ' + num(e, 1) + ' engaging questions per call (' + a.withMetrics + ' recorded calls)' };
    }), { fmt: function (v) { return num(v, 1); }, colors: ['#2f6fdf', '#e08a2c'], legend: ['questions by reps', 'engaging questions'],
      label: 'Questions per call by rep' });
  }

  function drawCallsPerWeek() {
    var plot = plotOf('chart-calls-week');
    var rows = D.weekly.filter(function (r) { return weekIn(r[0]); });
    clear(plot);
    if (!rows.length) { empty(plot, 'No calls in this range.'); return; }
    var lg = el('div', { 'class': 'legend' });
    [['#2f6fdf', 'with recording metrics'], ['#a9c3f2', 'other calls']].forEach(function (l) {
      var s = el('span'); s.appendChild(el('i', { style: 'background:' + l[0] })); s.appendChild(document.createTextNode(l[1])); lg.appendChild(s);
    });
    plot.appendChild(lg);
    var h = 260, left = 40, right = 10, top = 10, bottom = 34;
    var max = Math.max.apply(null, rows.map(function (r) { return r[1]; })) || 1;
    var step = niceStep(max / 4, true);
    var top2 = Math.ceil(max / step) * step;
    var y = function (v) { return h - bottom - (h - top - bottom) * v / top2; };
    var bw = (W - left - right) / rows.length;
    var svg = sv('svg', { viewBox: '0 0 ' + W + ' ' + h, role: 'img', 'aria-label': 'Calls per week' });
    var g = sv('g', { 'class': 'grid' });
    for (var t = 0; t <= top2 + 1e-9; t += step) {
      g.appendChild(sv('line', { x1: left, x2: W - right, y1: y(t), y2: y(t) }));
      g.appendChild(sv('text', { x: left - 6, y: y(t) + 4, 'text-anchor': 'end', 'class': 'axis' }, num(t)));
    }
    svg.appendChild(g);
    var every = Math.max(1, Math.ceil(rows.length / 10));
    rows.forEach(function (r, i) {
      var x = left + i * bw + bw * 0.12, w = Math.max(1, bw * 0.76);
      var label = 'Week of ' + dayIso(r[0]) + ': ' + r[1] + ' calls, ' + r[2] + ' with recording metrics'
        + (r[2] ? ', talk/listen ' + pct(r[3] / r[2]) : '');
      var other = r[1] - r[2];
      if (r[2] > 0) {
        svg.appendChild(tip(sv('rect', { 'class': 'mark', x: x, y: y(r[2]), width: w, height: y(0) - y(r[2]), fill: '#2f6fdf' }), label));
      }
      if (other > 0) {
        svg.appendChild(tip(sv('rect', { 'class': 'mark', x: x, y: y(r[1]), width: w, height: y(r[2]) - y(r[1]), fill: '#a9c3f2' }), label));
      }
      if (i % every === 0) {
        svg.appendChild(sv('text', { x: x + w / 2, y: h - bottom + 16, 'text-anchor': 'middle', 'class': 'axis' }, shortDate(r[0])));
      }
    });
    plot.appendChild(svg);
  }
  /** A 1-2-5 step near raw (whole numbers only when counting). */
  function niceStep(raw, whole) {
    if (raw <= 0 || (whole && raw <= 1)) { return 1; }
    var p = Math.pow(10, Math.floor(Math.log10(raw)));
    var m = raw / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
  }

  function dealIn(d) {
    var a = d[2], b = d[3];
    if (a === null || b === null) { return range.from === null && range.to === null; }
    return (range.to === null || a <= range.to) && (range.from === null || b >= range.from);
  }

  /** The colour (r,g,b) and the words of each kind of stage movement; Closed Won and Closed Lost are outcomes, not steps. */
  var MOVES = {
    forward: ['46,157,98', 'moved forward (green)'],
    same: ['47,111,223', 'same stage (blue)'],
    back: ['210,73,63', 'moved back (red)'],
    won: ['16,122,122', 'won (teal)'],
    lost: ['139,94,60', 'lost (brown)'],
    outcome: ['142,68,173', 'won ↔ lost (purple)'],
    reopened: ['224,138,44', 'reopened (orange)'],
    other: ['95,107,127', 'between other stages (grey)']
  };
  var OUTCOMES = { 'closed won': 'won', 'closed lost': 'lost' };

  function drawDealStages() {
    var plot = plotOf('chart-deal-stages');
    clear(plot);
    var deals = D.deals.filter(dealIn);
    var stages = D.stages.slice();
    var unknown = stages.length;
    var n = stages.length + 1; // plus "unknown"
    var m = [];
    for (var i = 0; i < n; i++) { m.push(new Array(n).fill(0)); }
    var known = D.knownStages || 0; // stages below this index have a known order
    function outcomeOf(s) { return s < stages.length ? OUTCOMES[String(stages[s]).toLowerCase()] : undefined; }
    /** How a deal moved from stage f to stage c: a key of MOVES. */
    function move(f, c) {
      var of = outcomeOf(f), oc = outcomeOf(c);
      if (f === c) { return 'same'; }
      if (of && oc) { return 'outcome'; }
      if (of) { return 'reopened'; }
      if (oc) { return oc; }
      if (f >= known || c >= known) { return 'other'; }
      return c > f ? 'forward' : 'back';
    }
    var moved = {};
    Object.keys(MOVES).forEach(function (k) { moved[k] = 0; });
    deals.forEach(function (d) {
      var f = d[0] < 0 ? unknown : d[0], c = d[1] < 0 ? unknown : d[1];
      m[f][c]++;
      moved[move(f, c)]++;
    });
    var used = [];
    for (var k = 0; k < n; k++) {
      var any = false;
      for (var j = 0; j < n; j++) { any = any || m[k][j] > 0 || m[j][k] > 0; }
      if (any) { used.push(k); }
    }
    if (!deals.length || !used.length) { empty(plot, 'No deals with calls in this range.'); return; }
    var names = stages.concat(['(unknown)']);
    var max = 1;
    used.forEach(function (a) { used.forEach(function (b) { max = Math.max(max, m[a][b]); }); });
    var left = 118, top = 92, cell = Math.min(56, (W - left - 10) / used.length);
    var summary = [deals.length + ' deals:', ['forward', 'same', 'back'], 'Outcomes:', ['won', 'lost', 'outcome', 'reopened']];
    if (moved.other) { summary.push('Order unknown:', ['other']); }
    var h = top + cell * used.length + 14 + 16 * summary.length / 2;
    var svg = sv('svg', { viewBox: '0 0 ' + W + ' ' + h, role: 'img', 'aria-label': 'Deals by stage movement' });
    svg.appendChild(sv('text', { x: left + cell * used.length / 2, y: 12, 'text-anchor': 'middle', 'class': 'axis' }, 'current stage →'));
    svg.appendChild(sv('text', { x: 10, y: top - 8, 'class': 'axis' }, 'first stage ↓'));
    used.forEach(function (c, ci) {
      var cx = left + ci * cell + cell / 2;
      svg.appendChild(sv('text', { x: cx, y: top - 8, transform: 'rotate(-40 ' + cx + ' ' + (top - 8) + ')', 'class': 'axis' }, clip(names[c], 16)));
    });
    used.forEach(function (f, ri) {
      var y = top + ri * cell;
      svg.appendChild(sv('text', { x: left - 8, y: y + cell / 2 + 4, 'text-anchor': 'end', 'font-size': 12 }, clip(names[f], 16)));
      used.forEach(function (c, ci) {
        var x = left + ci * cell, v = m[f][c], kind = move(f, c);
        var shade = v ? 0.15 + 0.85 * v / max : 0;
        var r = sv('rect', { x: x + 1, y: y + 1, width: cell - 2, height: cell - 2, rx: 3, 'data-move': kind,
          fill: v ? 'rgba(' + MOVES[kind][0] + ',' + shade.toFixed(3) + ')' : '#f3f5f8', 'class': v ? 'mark' : 'cell' });
        svg.appendChild(tip(r, v + ' deal' + (v === 1 ? '' : 's') + ': ' + names[f] + ' → ' + names[c] + ' (' + MOVES[kind][1] + ')'));
        if (v) {
          svg.appendChild(sv('text', { x: x + cell / 2, y: y + cell / 2 + 4, 'text-anchor': 'middle', 'font-size': 12,
            fill: shade > 0.55 ? '#fff' : '#1d2433', 'pointer-events': 'none' }, v));
        }
      });
    });
    for (var line = 0; line < summary.length; line += 2) {
      var words = summary[line + 1].map(function (key) { return moved[key] + ' ' + MOVES[key][1]; }).join(' · ');
      svg.appendChild(sv('text', { x: 10, y: top + cell * used.length + 20 + 16 * line / 2, 'class': 'axis summary' },
        summary[line] + ' ' + words));
    }
    plot.appendChild(svg);
  }

  // ---- coaching (scorecards) ----

  /**
   * Adds up the rows (week at index 1) that fall in the range, grouped by the value at index {@code key}: the sums of
   * the columns named in {@code cols} ({name: column index}), plus {@code key} itself.
   */
  function sumInRange(rows, key, cols) {
    var t = {};
    rows.forEach(function (r) {
      if (!weekIn(r[1])) { return; }
      var a = t[r[key]];
      if (!a) {
        a = t[r[key]] = { key: r[key] };
        Object.keys(cols).forEach(function (c) { a[c] = 0; });
      }
      Object.keys(cols).forEach(function (c) { a[c] += r[cols[c]]; });
    });
    return Object.keys(t).map(function (k) { return t[k]; });
  }
  var REP_WEEK = { cards: 2, scored: 3, total: 4 };

  /** Per rep over the range: scorecards, scorecards with a total, sum of totals. */
  function coachReps() {
    return sumInRange(D.coaching.repWeeks, 0, REP_WEEK).filter(function (a) { return a.scored > 0; })
      .map(function (a) { a.rep = D.coaching.reps[a.key]; return a; });
  }
  var SCORE_TICKS = [0, 1, 2, 3, 4, 5];
  function score(v) { return num(v, 1); }

  function drawCoachReps() {
    var every = coachReps();
    var all = 0, n = 0;
    every.forEach(function (a) { all += a.total; n += a.scored; });
    var reps = every.sort(function (a, b) { return b.cards - a.cards; }).slice(0, 25);
    reps.sort(function (a, b) { return b.total / b.scored - a.total / a.scored; });
    hbars(plotOf('chart-coaching-reps'), reps.map(function (a) {
      var avg = a.total / a.scored;
      return { label: repLabel(a.rep), values: [avg],
        tip: repLabel(a.rep) + ': average total score ' + score(avg) + ' over ' + a.scored + ' scorecards' };
    }), { max: 5, ticks: SCORE_TICKS, fmt: score, colors: ['#7a5cc7'], label: 'Average score by rep',
      emptyText: 'No scorecards in this range.', ref: n ? all / n : null, refTip: 'Average of all scorecards in the range: ' + score(n ? all / n : null) });
  }

  function drawCoachSkills() {
    var skills = sumInRange(D.coaching.skillWeeks, 2, { cards: 3, answers: 4, sum: 5 }).filter(function (a) { return a.answers > 0; })
      .map(function (a) { a.skill = D.coaching.skills[a.key]; return a; })
      .sort(function (a, b) { return b.sum / b.answers - a.sum / a.answers; }).slice(0, 25);
    hbars(plotOf('chart-coaching-skills'), skills.map(function (a) {
      var avg = a.sum / a.answers;
      return { label: a.skill, values: [avg],
        tip: a.skill + ': average ' + score(avg) + ' over ' + a.answers + ' answers in ' + a.cards + ' scorecards' };
    }), { max: 5, ticks: SCORE_TICKS, fmt: score, colors: ['#2e9d62'], label: 'Average score by skill',
      emptyText: 'No scorecards in this range.' });
  }

  function drawCoachTrend() {
    var plot = plotOf('chart-coaching-trend');
    clear(plot);
    var rows = sumInRange(D.coaching.repWeeks, 1, REP_WEEK).map(function (a) { a.week = a.key; return a; })
      .sort(function (a, b) { return a.week - b.week; });
    if (!rows.length) { empty(plot, 'No scorecards in this range.'); return; }
    var TW = 2 * W, h = 220, left = 40, right = 40, top = 12, bottom = 34; // a wide card: twice the usual width
    var max = Math.max.apply(null, rows.map(function (r) { return r.cards; })) || 1;
    var step = niceStep(max / 4, true), top2 = Math.ceil(max / step) * step;
    var y = function (v) { return h - bottom - (h - top - bottom) * v / top2; };
    var ys = function (v) { return h - bottom - (h - top - bottom) * v / 5; };
    var bw = (TW - left - right) / rows.length;
    var svg = sv('svg', { viewBox: '0 0 ' + TW + ' ' + h, role: 'img', 'aria-label': 'Coaching: weekly trend' });
    var g = sv('g', { 'class': 'grid' });
    for (var t = 0; t <= top2 + 1e-9; t += step) {
      g.appendChild(sv('line', { x1: left, x2: TW - right, y1: y(t), y2: y(t) }));
      g.appendChild(sv('text', { x: left - 6, y: y(t) + 4, 'text-anchor': 'end', 'class': 'axis' }, num(t)));
    }
    SCORE_TICKS.forEach(function (s) {
      g.appendChild(sv('text', { x: TW - right + 6, y: ys(s) + 4, 'class': 'axis' }, s));
    });
    svg.appendChild(g);
    var every = Math.max(1, Math.ceil(rows.length / 20));
    var points = [];
    rows.forEach(function (r, i) {
      var x = left + i * bw + bw * 0.15, w = Math.max(1, bw * 0.7);
      var avg = r.scored ? r.total / r.scored : null;
      var label = 'Week of ' + dayIso(r.week) + ': ' + r.cards + ' scorecards' + (avg === null ? '' : ', average total score ' + score(avg));
      svg.appendChild(tip(sv('rect', { 'class': 'mark', x: x, y: y(r.cards), width: w, height: y(0) - y(r.cards), fill: '#d9cff3' }), label));
      if (avg !== null) { points.push([x + w / 2, ys(avg), label]); }
      if (i % every === 0) {
        svg.appendChild(sv('text', { x: x + w / 2, y: h - bottom + 16, 'text-anchor': 'middle', 'class': 'axis' }, shortDate(r.week)));
      }
    });
    if (points.length > 1) {
      svg.appendChild(sv('polyline', { points: points.map(function (p) { return p[0].toFixed(1) + ',' + p[1].toFixed(1); }).join(' '),
        fill: 'none', stroke: '#7a5cc7', 'stroke-width': 2 }));
    }
    points.forEach(function (p) {
      svg.appendChild(tip(sv('circle', { 'class': 'mark', cx: p[0], cy: p[1], r: 3.5, fill: '#7a5cc7' }), p[2]));
    });
    plot.appendChild(svg);
  }

  function drawActionItems() {
    var plot = plotOf('table-action-items');
    var rows = D.actionItems.filter(function (r) { return dayIn(r[0]); });
    document.getElementById('action-items-hint').textContent = rows.length + ' of the latest ' + D.actionItems.length
      + ' action items (of ' + num(D.totals.actionItems) + ' in the warehouse) fall in the range.';
    clear(plot);
    if (!rows.length) { empty(plot, 'No action items in this range.'); return; }
    var wrap = el('div', { 'class': 'tablewrap' });
    var table = el('table');
    var head = el('tr');
    ['When', 'Action item', 'Owner', 'Said by', 'Deal', 'Account'].forEach(function (c) { head.appendChild(el('th', null, c)); });
    table.appendChild(el('thead')).appendChild(head);
    var body = table.appendChild(el('tbody'));
    rows.forEach(function (r) {
      var tr = el('tr', { 'class': 'mark' });
      tr.appendChild(el('td', { 'class': 'when' }, when(r[1])));
      var item = el('td', { 'class': 'item' });
      item.appendChild(document.createTextNode(r[3] || ''));
      if (r[8]) { item.appendChild(document.createTextNode(' (' + r[8] + ')')); }
      item.appendChild(el('span', { 'class': 'title', title: r[2] || '' }, r[2] ? 'Call: ' + clip(r[2], 80) : 'Call without a title'));
      tr.appendChild(item);
      tr.appendChild(el('td', null, r[4] || '—'));
      tr.appendChild(el('td', null, r[5] || '—'));
      tr.appendChild(el('td', null, r[6] || '—'));
      tr.appendChild(el('td', null, r[7] || '—'));
      body.appendChild(tr);
    });
    wrap.appendChild(table);
    plot.appendChild(wrap);
  }

  function drawFreshness() {
    var box = document.getElementById('freshness');
    clear(box);
    var f = D.freshness || {};
    var ok = f.lastSuccess, last = f.lastRun;
    function item(label, value) {
      var s = el('span', { 'class': 'item' });
      s.appendChild(el('strong', null, label + ' '));
      s.appendChild(document.createTextNode(value));
      box.appendChild(s);
    }
    if (!ok) {
      box.className = 'fresh failed';
      item('Last successful sync:', 'none yet');
    } else {
      var stale = Date.now() - Date.parse(ok.endedAt) > 2 * DAY_MS;
      box.className = 'fresh' + (stale ? ' stale' : '');
      item('Last successful sync:', when(ok.endedAt) + ' (' + ago(ok.endedAt) + ')');
      item('Rows written:', ok.rowsWritten < 0 ? 'unknown' : num(ok.rowsWritten));
      item('API requests:', num(ok.requests) + (ok.retries ? ' (' + num(ok.retries) + ' retries)' : ''));
    }
    if (last && ok && last.outcome !== 'succeeded') {
      box.className = 'fresh failed';
      item('Latest run ' + (last.outcome || 'unfinished') + ':', when(last.endedAt || last.startedAt));
      if (last.message) { box.appendChild(el('span', { 'class': 'msg' }, clip(last.message, 300))); }
    }
    item('Calls through:', D.totals.lastCall ? when(D.totals.lastCall) : '—');
    item('Calls:', num(D.totals.calls) + ' (' + num(D.totals.callsWithDetails) + ' with transcript and summary)');
  }

  /**
   * A movement's week is the week of the sync that saw it, which can come after the last week with calls (a first sync
   * backfilling past calls sees every deal then): a range that runs to the last week with calls runs on to the latest
   * movement.
   */
  function moveWeekIn(w) {
    return weekIn(w) || (lastDay !== null && range.to === lastDay && w > lastDay);
  }

  /** Deals entering each stage per week, stacked; terminal stages (Closed Won / Lost) in their outcome colours, on top. */
  function drawStageMoves() {
    var plot = plotOf('chart-stage-moves');
    var rows = (D.stageMoves || []).filter(function (r) { return moveWeekIn(r[0]); });
    clear(plot);
    if (!rows.length) { empty(plot, 'No deal entered a stage in this range (the history of calls starts with its first sync).'); return; }
    var order = {};
    (D.stages || []).forEach(function (s, i) { order[s] = i; });
    var stages = [];
    rows.forEach(function (r) { if (stages.indexOf(r[1]) < 0) { stages.push(r[1]); } });
    var terminal = {};
    rows.forEach(function (r) { if (r[2]) { terminal[r[1]] = true; } });
    stages.sort(function (a, b) {
      var ta = terminal[a] ? 1 : 0, tb = terminal[b] ? 1 : 0;
      if (ta !== tb) { return ta - tb; }
      var oa = a in order ? order[a] : 999, ob = b in order ? order[b] : 999;
      return oa !== ob ? oa - ob : (a < b ? -1 : 1);
    });
    var open = stages.filter(function (s) { return !terminal[s]; });
    function colour(s) {
      if (terminal[s]) { return /won/i.test(s) ? '#2e9d62' : /lost/i.test(s) ? '#d0453a' : '#7a7a7a'; }
      var i = open.indexOf(s), n = Math.max(1, open.length - 1);
      return 'hsl(215, 65%, ' + Math.round(78 - 45 * i / n) + '%)';
    }
    var lg = el('div', { 'class': 'legend' });
    stages.forEach(function (s) {
      var l = el('span'); l.appendChild(el('i', { style: 'background:' + colour(s) })); l.appendChild(document.createTextNode(s)); lg.appendChild(l);
    });
    plot.appendChild(lg);
    var weeksShown = [], byWeek = {};
    rows.forEach(function (r) {
      if (!byWeek[r[0]]) { byWeek[r[0]] = {}; weeksShown.push(r[0]); }
      byWeek[r[0]][r[1]] = r[3];
    });
    weeksShown.sort(function (a, b) { return a - b; });
    var h = 260, left = 40, right = 10, top = 10, bottom = 34;
    var max = Math.max.apply(null, weeksShown.map(function (wk) {
      return stages.reduce(function (t, s) { return t + (byWeek[wk][s] || 0); }, 0);
    })) || 1;
    var step = niceStep(max / 4, true), top2 = Math.ceil(max / step) * step;
    var y = function (v) { return h - bottom - (h - top - bottom) * v / top2; };
    var bw = (W - left - right) / weeksShown.length;
    var svg = sv('svg', { viewBox: '0 0 ' + W + ' ' + h, role: 'img', 'aria-label': 'Stage movement over time' });
    var g = sv('g', { 'class': 'grid' });
    for (var t = 0; t <= top2 + 1e-9; t += step) {
      g.appendChild(sv('line', { x1: left, x2: W - right, y1: y(t), y2: y(t) }));
      g.appendChild(sv('text', { x: left - 6, y: y(t) + 4, 'text-anchor': 'end', 'class': 'axis' }, num(t)));
    }
    svg.appendChild(g);
    var every = Math.max(1, Math.ceil(weeksShown.length / 10));
    weeksShown.forEach(function (wk, i) {
      var x = left + i * bw + bw * 0.12, w = Math.max(1, bw * 0.76), base = 0;
      stages.forEach(function (s) {
        var n = byWeek[wk][s] || 0;
        if (!n) { return; }
        svg.appendChild(tip(sv('rect', { 'class': 'mark', 'data-stage': s, 'data-terminal': terminal[s] ? 'true' : 'false',
          x: x, y: y(base + n), width: w, height: y(base) - y(base + n), fill: colour(s) }),
          'Week of ' + dayIso(wk) + ': ' + n + (n === 1 ? ' deal' : ' deals') + (terminal[s] ? ' closed as ' : ' entered ') + s));
        base += n;
      });
      if (i % every === 0) {
        svg.appendChild(sv('text', { x: x + w / 2, y: h - bottom + 16, 'text-anchor': 'middle', 'class': 'axis' }, shortDate(wk)));
      }
    });
    plot.appendChild(svg);
  }

  function drawAll() {
    drawKpis();
    drawTalkListen();
    drawCallsPerWeek();
    drawQuestions();
    drawDealStages();
    drawStageMoves();
    drawCoachReps();
    drawCoachSkills();
    drawCoachTrend();
    drawActionItems();
    document.body.setAttribute('data-rendered', String((Number(document.body.getAttribute('data-rendered')) || 0) + 1));
  }

  // ---- wiring ----
  var fromIn = document.getElementById('from'), toIn = document.getElementById('to');
  function showRange() {
    fromIn.value = range.from === null ? '' : dayIso(range.from);
    toIn.value = range.to === null ? '' : dayIso(range.to);
  }
  function onInput() {
    range.from = isoDay(fromIn.value);
    range.to = isoDay(toIn.value);
    drawAll();
  }
  fromIn.addEventListener('change', onInput);
  toIn.addEventListener('change', onInput);
  document.getElementById('range').addEventListener('submit', function (e) { e.preventDefault(); });
  Array.prototype.forEach.call(document.querySelectorAll('.presets button'), function (b) {
    b.addEventListener('click', function () {
      var n = Number(b.getAttribute('data-weeks'));
      range.to = lastDay;
      range.from = n && lastDay !== null ? Math.max(firstDay, weeks[weeks.length - 1] - 7 * (n - 1)) : firstDay;
      showRange();
      drawAll();
    });
  });
  if (firstDay !== null) {
    fromIn.min = toIn.min = dayIso(firstDay);
    fromIn.max = toIn.max = dayIso(lastDay);
  }
  document.getElementById('subtitle').textContent = 'Clari Copilot calls · generated ' + when(D.generatedAt) + ' from ' + D.warehouse;
  document.getElementById('limits').textContent = D.limits;
  showRange();
  drawFreshness();
  drawAll();
}());

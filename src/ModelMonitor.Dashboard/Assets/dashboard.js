/*
 * ModelMonitor dashboard and HTML report: one script for both.
 *
 * render(data) draws everything from one data object (its fields: docs/dashboard.md). The report
 * (modelmonitor report --format html) carries that object inline in #mm-data. The live page
 * (GET /dashboard) has none: it builds the object from the service's own API (/drift, /alerts,
 * /report, /metrics, /drift/history, /traffic/history, /audit), then refreshes it every
 * refresh_seconds. Nothing is fetched from any other host; the charts are Chartist's SVG.
 */
(function () {
  'use strict';

  var Chartist = window.Chartist;
  var KEY_STORAGE = 'modelmonitor.apiKey';
  var SEVERITIES = ['none', 'low', 'medium', 'high', 'critical'];
  var NON_PREDICTING_POSTS = ['/feedback', '/reference', '/drift/evaluate', '/tokenize'];

  // ---------------------------------------------------------------- diagnostics (read by the browser tests)
  var diagnostics = { errors: [], failedRequests: [], rendered: 0 };

  function publishDiagnostics() {
    var node = document.getElementById('mm-diagnostics');
    if (!node) { return; }
    var resources = (performance.getEntriesByType ? performance.getEntriesByType('resource') : []).map(function (e) { return e.name; });
    node.setAttribute('data-rendered', String(diagnostics.rendered));
    node.setAttribute('data-errors', String(diagnostics.errors.length));
    node.setAttribute('data-failed-requests', String(diagnostics.failedRequests.length));
    node.textContent = JSON.stringify({ errors: diagnostics.errors, failed_requests: diagnostics.failedRequests, resources: resources });
  }

  function noteError(message) {
    diagnostics.errors.push(String(message));
    publishDiagnostics();
  }

  window.addEventListener('error', function (e) { noteError(e.message || 'error'); });
  window.addEventListener('unhandledrejection', function (e) { noteError(e.reason && e.reason.message ? e.reason.message : String(e.reason)); });

  // ---------------------------------------------------------------- small helpers
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) { return; }
      if (name === 'text') { node.textContent = String(value); } else { node.setAttribute(name, value === true ? '' : String(value)); }
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) { return; }
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }

  function clear(id) {
    var node = document.getElementById(id);
    while (node.firstChild) { node.removeChild(node.firstChild); }
    return node;
  }

  function readJson(id) {
    var node = document.getElementById(id);
    if (!node) { return null; }
    var text = node.textContent.trim();
    return text && text !== 'null' ? JSON.parse(text) : null;
  }

  /** A number from the API, where non-finite values arrive as the strings "NaN", "Infinity", "-Infinity". */
  function num(value) {
    if (typeof value === 'number') { return value; }
    if (value === 'NaN') { return NaN; }
    if (value === 'Infinity') { return Infinity; }
    if (value === '-Infinity') { return -Infinity; }
    return null;
  }

  function fmt(value, digits) {
    var v = num(value);
    if (v === null) { return '–'; }
    if (!isFinite(v)) { return String(v); }
    return v.toFixed(digits === undefined ? 3 : digits);
  }

  function fmtP(value) {
    var v = num(value);
    if (v === null) { return '–'; }
    if (!isFinite(v)) { return String(v); }
    return v !== 0 && v < 0.001 ? v.toExponential(1) : v.toFixed(3);
  }

  function fmtCount(value) {
    return value === null || value === undefined ? '–' : Number(value).toLocaleString('en');
  }

  function ms(iso) { return iso ? Date.parse(iso) : null; }

  function fmtDuration(seconds) {
    if (seconds < 1) { return Math.round(seconds * 1000) + ' ms'; }
    if (seconds < 120) { return Math.round(seconds) + ' s'; }
    if (seconds < 7200) { return Math.round(seconds / 60) + ' min'; }
    return Math.round(seconds / 360) / 10 + ' h';
  }

  function pad(n) { return n < 10 ? '0' + n : String(n); }

  /** Times are shown in UTC, as the audit trail stores them. */
  function fmtTime(t, span) {
    var d = new Date(t);
    var hm = pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes());
    if (span !== undefined && span < 120000) { hm += ':' + pad(d.getUTCSeconds()); }
    return span !== undefined && span < 2 * 86400000 ? hm : (d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate()) + ' ' + hm;
  }

  function fmtStamp(iso) {
    if (!iso) { return '–'; }
    var d = new Date(iso);
    return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate()) + ' ' + pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes()) + ':' + pad(d.getUTCSeconds()) + ' UTC';
  }

  function severityBadge(severity) {
    var name = SEVERITIES.indexOf(severity) >= 0 ? severity : 'unknown';
    return el('span', { class: 'mm-badge mm-sev-' + name, text: severity || 'unknown' });
  }

  // ---------------------------------------------------------------- charts
  var charts = [];

  function detachCharts() {
    charts.forEach(function (chart) { try { chart.detach(); } catch (e) { /* already gone */ } });
    charts = [];
  }

  /** A figure with a title, a description, the chart area and a data table as its text alternative. */
  function figure(container, id, title, description) {
    var body = el('div', { class: 'ct-chart', role: 'img', 'aria-label': title + '. ' + description });
    var fig = el('figure', { class: 'mm-chart', id: 'chart-' + id, 'aria-labelledby': 'chart-' + id + '-title', 'aria-describedby': 'chart-' + id + '-desc' }, [
      el('h3', { id: 'chart-' + id + '-title', text: title }),
      el('p', { class: 'mm-desc', id: 'chart-' + id + '-desc', text: description }),
      body,
    ]);
    container.appendChild(fig);
    return { fig: fig, body: body, title: title, description: description };
  }

  function empty(f, message) {
    f.body.removeAttribute('role');
    f.body.appendChild(el('div', { class: 'mm-empty', text: message }));
    f.fig.setAttribute('data-points', '0');
  }

  function legend(f, items) {
    f.fig.appendChild(el('div', { class: 'mm-legend', 'aria-hidden': 'true' }, items.map(function (item) {
      return el('span', { style: '--swatch: var(--' + item.swatch + ')', text: item.name });
    })));
  }

  /** The data behind a chart as a table, collapsed under the chart: the chart's text alternative. */
  function dataTable(f, header, rows) {
    var table = el('table', {}, [
      el('caption', { class: 'mm-visually-hidden', text: f.title }),
      el('thead', {}, [el('tr', {}, header.map(function (h) { return el('th', { scope: 'col', text: h }); }))]),
      el('tbody', {}, rows.map(function (row) {
        return el('tr', {}, row.map(function (cell, i) { return el('td', { class: i > 0 ? 'mm-num' : null, text: cell }); }));
      })),
    ]);
    f.fig.appendChild(el('details', { class: 'mm-data' }, [el('summary', { text: 'Data (' + rows.length + ' rows)' }), el('div', { class: 'mm-scroll' }, [table])]));
  }

  /** Gives the chart's SVG a title and a description (screen readers), once Chartist has drawn it. */
  function labelSvg(f, chart, onCreated) {
    chart.on('created', function (ctx) {
      var svg = ctx.svg.getNode();
      svg.setAttribute('role', 'img');
      svg.setAttribute('aria-label', f.title);
      var desc = document.createElementNS('http://www.w3.org/2000/svg', 'desc');
      desc.textContent = f.description;
      svg.insertBefore(desc, svg.firstChild);
      var title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
      title.textContent = f.title;
      svg.insertBefore(title, svg.firstChild);
      if (onCreated) { onCreated(ctx); }
      f.fig.setAttribute('data-drawn', 'true');
    });
    charts.push(chart);
  }

  function pointTitle(ctx, text) {
    var title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
    title.textContent = text;
    ctx.element.getNode().appendChild(title);
  }

  function timeAxis(span) {
    return {
      type: Chartist.AutoScaleAxis,
      scaleMinSpace: 70,
      onlyInteger: true,
      labelInterpolationFnc: function (value) { return fmtTime(value, span); },
    };
  }

  /**
   * A line chart over time. series: [{name, className, points: [{x, y, title}]}]; band: the
   * confidence interval drawn as a shaded area between two hidden series (low, high).
   */
  function timeChart(f, series, options) {
    var all = [];
    series.forEach(function (s) { s.points.forEach(function (p) { all.push(p.x); }); });
    var first = all.length ? Math.min.apply(null, all) : 0;
    var span = all.length ? Math.max.apply(null, all) - first : 0;
    var xAxis = timeAxis(span || 120000);
    if (all.length && span === 0) {
      // One moment only: Chartist would stretch the axis down to zero (1970); show a minute either side.
      xAxis.low = first - 60000;
      xAxis.high = first + 60000;
    }
    var chartSeries = series.map(function (s) { return { name: s.name, className: s.className, data: s.points.map(function (p) { return { x: p.x, y: p.y }; }) }; });
    var bands = options.bands || [];
    bands.forEach(function (band, i) {
      chartSeries.push({ name: 'band-low-' + i, className: 'mm-band-edge', data: band.low });
      chartSeries.push({ name: 'band-high-' + i, className: 'mm-band-edge', data: band.high });
    });
    var chart = new Chartist.LineChart(f.body, { series: chartSeries }, {
      height: options.height || '220px',
      fullWidth: true,
      chartPadding: { top: 12, right: 40, bottom: 4, left: 6 },
      axisX: xAxis,
      axisY: Object.assign({ onlyInteger: false, labelInterpolationFnc: options.yLabel || function (v) { return v; } }, options.axisY || {}),
      low: options.low,
      high: options.high,
      showArea: !!options.showArea,
      // Straight segments only: Chartist draws a point at every path corner, so a step line would double them.
      lineSmooth: Chartist.Interpolation.none({ fillHoles: false }),
    });
    var edges = {};
    chart.on('draw', function (ctx) {
      if (ctx.type === 'point') {
        var s = chartSeries[ctx.seriesIndex];
        if (s.className === 'mm-band-edge') {
          (edges[s.name] = edges[s.name] || []).push([ctx.x, ctx.y]);
        } else if (ctx.seriesIndex < series.length) {
          var source = series[ctx.seriesIndex].points[ctx.index];
          if (source && source.title) { pointTitle(ctx, source.title); }
          if (source && source.pointClass) { ctx.element.addClass(source.pointClass); }
        }
      }
    });
    labelSvg(f, chart, function (ctx) {
      bands.forEach(function (band, i) {
        var low = edges['band-low-' + i] || [], high = edges['band-high-' + i] || [];
        edges['band-low-' + i] = []; edges['band-high-' + i] = [];
        if (low.length < 1 || low.length !== high.length) { return; }
        var path = 'M' + high.map(function (p) { return p[0] + ',' + p[1]; }).join(' L') + ' L' + low.slice().reverse().map(function (p) { return p[0] + ',' + p[1]; }).join(' L') + ' Z';
        var node = document.createElementNS('http://www.w3.org/2000/svg', 'path');
        node.setAttribute('d', path);
        node.setAttribute('class', 'mm-band ' + (band.className || ''));
        var seriesGroup = ctx.svg.getNode().querySelector('.ct-series');
        if (seriesGroup) { seriesGroup.parentNode.insertBefore(node, seriesGroup); }
      });
    });
    f.fig.setAttribute('data-points', String(series.reduce(function (n, s) { return n + s.points.length; }, 0)));
    return chart;
  }

  function barChart(f, labels, series, options) {
    var chart = new Chartist.BarChart(f.body, { labels: labels, series: series.map(function (s) { return { name: s.name, className: s.className, data: s.values }; }) }, Object.assign({
      height: '220px',
      fullWidth: true,
      chartPadding: { top: 12, right: 16, bottom: 4, left: 6 },
      seriesBarDistance: 12,
      axisY: { onlyInteger: !!options.integer, labelInterpolationFnc: options.yLabel || function (v) { return v; } },
      axisX: { labelInterpolationFnc: options.xLabel || function (v) { return v; } },
    }, options.chartist || {}));
    chart.on('draw', function (ctx) {
      if (ctx.type === 'bar' && options.barTitle) { pointTitle(ctx, options.barTitle(ctx.seriesIndex, ctx.index)); }
    });
    labelSvg(f, chart);
    f.fig.setAttribute('data-points', String(series.reduce(function (n, s) { return n + s.values.length; }, 0)));
    return chart;
  }

  // ---------------------------------------------------------------- sections
  var selectedFeature = null;

  function renderHeader(data) {
    var sub = document.getElementById('mm-subtitle');
    sub.textContent = '';
    if (data.mode === 'report') {
      sub.appendChild(document.createTextNode('Report generated ' + fmtStamp(data.generated_at) + ' · period ' + fmtStamp(data.period_from) + ' to ' + fmtStamp(data.period_to) + ' · '));
    } else {
      sub.appendChild(document.createTextNode('Live · updated ' + fmtStamp(data.generated_at) + ' · '));
    }
    sub.appendChild(severityBadge(data.now.severity));
  }

  function renderBanners(data) {
    var box = clear('mm-banners');
    (data.notes || []).forEach(function (note) {
      box.appendChild(el('div', { class: 'mm-banner' + (note.error ? ' mm-error' : ''), role: note.error ? 'alert' : null, text: note.text }));
    });
    if (data.needs_key) { box.appendChild(keyForm(data.key_rejected)); }
  }

  function card(label, value, note) {
    return el('div', { class: 'mm-card' }, [el('div', { class: 'mm-label', text: label }), el('div', { class: 'mm-value' }, [value]), note ? el('div', { class: 'mm-note', text: note }) : null]);
  }

  function renderCards(data) {
    var box = clear('mm-cards');
    var now = data.now;
    var counts = data.counts || {};
    box.appendChild(card('Severity', severityBadge(now.severity), now.diagnosis ? 'diagnosis: ' + now.diagnosis : null));
    box.appendChild(card('Last evaluation', document.createTextNode(now.sequence ? '#' + now.sequence : '–'), now.evaluated_at ? fmtStamp(now.evaluated_at) + (now.skipped_reason ? ' (skipped: ' + now.skipped_reason + ')' : '') : 'none yet'));
    box.appendChild(card('Window', document.createTextNode(fmtCount(now.window) + (now.window_capacity ? ' / ' + fmtCount(now.window_capacity) : '')), 'predictions; ' + fmtCount(now.labelled) + ' labelled'));
    box.appendChild(card('Reference', document.createTextNode(fmtCount(now.reference_count)), now.reference_state ? 'texts; ' + now.reference_state : 'texts'));
    box.appendChild(card('Predictions', document.createTextNode(fmtCount(counts.predictions)), data.mode === 'report' ? 'in the period' : 'since the audit began'));
    box.appendChild(card('Feedback', document.createTextNode(fmtCount(counts.feedback)), fmtCount(counts.feedback_joined) + ' joined a prediction'));
    box.appendChild(card('Evaluations', document.createTextNode(fmtCount(counts.evaluations)), fmtCount(counts.evaluations_with_drift) + ' found drift'));
    var perf = data.performance || {};
    box.appendChild(card('Accuracy', document.createTextNode(perf.accuracy === null || perf.accuracy === undefined ? '–' : fmt(perf.accuracy)),
      perf.labelled_predictions ? fmtCount(perf.labelled_predictions) + ' labelled; 95% CI ' + fmt(perf.accuracy_low) + '–' + fmt(perf.accuracy_high) : 'no labelled predictions'));
    // Estimated before labels (CBPE), for the latest evaluation that had an estimator.
    var est = data.estimation && data.estimation.latest && data.estimation.latest.length ? data.estimation.latest[0] : null;
    if (est) {
      box.appendChild(card('Estimated accuracy', document.createTextNode(fmt(est.estimated_accuracy)),
        'evaluation #' + est.sequence + ', from calibrated confidence; CI ' + fmt(est.estimated_accuracy_low) + '–' + fmt(est.estimated_accuracy_high) +
        (est.realized_accuracy === null || est.realized_accuracy === undefined ? '; no labels yet' : '; realized ' + fmt(est.realized_accuracy))));
    }
  }

  function alertList(alerts) {
    if (!alerts || alerts.length === 0) { return el('p', { class: 'mm-sub', text: 'None.' }); }
    return el('ul', { class: 'mm-list' }, alerts.map(function (a) {
      return el('li', {}, [severityBadge(a.severity), ' ', el('strong', { text: a.type }), ' since ' + fmtStamp(a.fired_at) + ': ' + a.summary + ' ', el('em', { text: a.action })]);
    }));
  }

  function renderFiring(data) {
    clear('mm-firing').appendChild(alertList(data.now.firing));
  }

  function renderRecommendations(data) {
    var box = clear('mm-recommendations');
    var items = (data.recommendations || []).slice();
    if (data.now.recommendation && items.indexOf(data.now.recommendation) < 0) { items.unshift(data.now.recommendation); }
    box.appendChild(items.length ? el('ol', { class: 'mm-list' }, items.map(function (r) { return el('li', { text: r }); })) : el('p', { class: 'mm-sub', text: 'None.' }));
  }

  function verdictCell(verdict) {
    return el('td', { class: 'mm-verdict-' + verdict, text: verdict });
  }

  function renderFeatures(data) {
    var box = clear('mm-features');
    var features = data.now.features || [];
    if (features.length === 0) {
      box.appendChild(el('p', { class: 'mm-sub', text: 'No evaluation has judged the features yet.' }));
      return;
    }

    if (!selectedFeature || !features.some(function (f) { return f.feature === selectedFeature; })) {
      var drifted = features.filter(function (f) { return f.verdict === 'drift'; });
      selectedFeature = (drifted[0] || features[0]).feature;
    }

    var header = ['Feature', 'Group', 'Kind', 'Test', 'Statistic', 'p-value', 'Adjusted p', 'Effect measure', 'Effect size', 'Verdict'];
    var rows = features.map(function (f) {
      var select = function () { selectedFeature = f.feature; renderFeatureSelection(data); };
      var button = el('button', { type: 'button', id: 'mm-feature-' + f.feature, class: 'mm-link', 'aria-controls': 'chart-distribution', text: f.feature });
      button.addEventListener('click', function (e) { e.stopPropagation(); select(); });
      var row = el('tr', { class: 'mm-feature', 'data-feature': f.feature, 'aria-selected': String(f.feature === selectedFeature) }, [
        el('th', { scope: 'row' }, [button]),
        el('td', { text: f.group || '–' }),
        el('td', { text: f.kind || '–' }),
        el('td', { text: f.test || '–' }),
        el('td', { class: 'mm-num', text: fmt(f.statistic) }),
        el('td', { class: 'mm-num', text: fmtP(f.p_value) }),
        el('td', { class: 'mm-num', text: fmtP(f.adjusted_p_value) }),
        el('td', { text: f.effect_measure || '–' }),
        el('td', { class: 'mm-num', text: fmt(f.effect_size) }),
        verdictCell(f.verdict),
      ]);
      row.addEventListener('click', select);
      return row;
    });
    box.appendChild(el('table', { id: 'mm-feature-table' }, [
      el('caption', { class: 'mm-visually-hidden', text: 'Features of the latest evaluation' }),
      el('thead', {}, [el('tr', {}, header.map(function (h) { return el('th', { scope: 'col', text: h }); }))]),
      el('tbody', {}, rows),
    ]));
  }

  function renderFeatureSelection(data) {
    document.querySelectorAll('#mm-feature-table tr.mm-feature').forEach(function (row) {
      row.setAttribute('aria-selected', String(row.getAttribute('data-feature') === selectedFeature));
    });
    renderDistributions(data);
  }

  function historyPoints(data) {
    return (data.history || []).map(function (p) { return Object.assign({ t: ms(p.at) }, p); });
  }

  function renderTime(data) {
    var box = clear('mm-time');
    var points = historyPoints(data);
    var judged = points.filter(function (p) { return !p.skipped; });
    var merged = points.some(function (p) { return p.represents > 1; });
    var note = data.history_downsampled && merged ? ' Downsampled: ' + data.history_downsampled.evaluations + ' evaluations in buckets of ' + fmtDuration(data.history_downsampled.bucket_seconds) + ', the worst of each kept.' : '';

    // Accuracy with its confidence band and the baseline.
    var fa = figure(box, 'accuracy', 'Accuracy over time', 'Accuracy of each evaluated window over its labelled predictions, with its confidence interval where known and the baseline (dashed).' + note);
    var acc = judged.filter(function (p) { return p.performance && num(p.performance.accuracy) !== null; });
    if (acc.length === 0) {
      empty(fa, 'No evaluation had enough labelled predictions yet (send feedback to POST /feedback).');
    } else {
      var accBand = acc.filter(function (p) { return num(p.performance.accuracy_low) !== null; });
      var base = acc.filter(function (p) { return num(p.performance.baseline_accuracy) !== null; });
      var accSeries = [{ name: 'accuracy', className: 'mm-s1', points: acc.map(function (p) { return { x: p.t, y: num(p.performance.accuracy), title: fmtStamp(p.at) + ': accuracy ' + fmt(p.performance.accuracy) + ' (' + fmtCount(p.performance.labelled) + ' labelled)' }; }) }];
      if (base.length) { accSeries.push({ name: 'baseline', className: 'mm-baseline', points: base.map(function (p) { return { x: p.t, y: num(p.performance.baseline_accuracy) }; }) }); }
      timeChart(fa, accSeries, {
        low: 0, high: 1, yLabel: function (v) { return v.toFixed(1); },
        bands: accBand.length ? [{ low: accBand.map(function (p) { return { x: p.t, y: num(p.performance.accuracy_low) }; }), high: accBand.map(function (p) { return { x: p.t, y: num(p.performance.accuracy_high) }; }) }] : [],
      });
      legend(fa, [{ name: 'accuracy', swatch: 's1' }, { name: 'confidence interval (shaded)', swatch: 's1' }, { name: 'baseline', swatch: 'muted' }]);
      dataTable(fa, ['Time', 'Accuracy', 'Low', 'High', 'Baseline', 'Labelled'], acc.map(function (p) {
        return [fmtStamp(p.at), fmt(p.performance.accuracy), fmt(p.performance.accuracy_low), fmt(p.performance.accuracy_high), fmt(p.performance.baseline_accuracy), fmtCount(p.performance.labelled)];
      }));
    }

    // Precision, recall, F1.
    var fp = figure(box, 'prf', 'Precision, recall and F1 over time', 'Macro precision and recall, and the F1 the monitor judges (macro over the classes present) with its confidence interval.' + note);
    var prf = judged.filter(function (p) { return p.performance && (num(p.performance.f1) !== null || num(p.performance.f1_macro) !== null); });
    if (prf.length === 0) {
      empty(fp, 'No evaluation had enough labelled predictions yet.');
    } else {
      var f1 = function (p) { return num(p.performance.f1) !== null ? num(p.performance.f1) : num(p.performance.f1_macro); };
      var series = [
        { name: 'precision', className: 'mm-s2', points: prf.filter(function (p) { return num(p.performance.precision_macro) !== null; }).map(function (p) { return { x: p.t, y: num(p.performance.precision_macro) }; }) },
        { name: 'recall', className: 'mm-s4', points: prf.filter(function (p) { return num(p.performance.recall_macro) !== null; }).map(function (p) { return { x: p.t, y: num(p.performance.recall_macro) }; }) },
        { name: 'F1', className: 'mm-s3', points: prf.map(function (p) { return { x: p.t, y: f1(p), title: fmtStamp(p.at) + ': F1 ' + fmt(f1(p)) }; }) },
      ];
      var f1Band = prf.filter(function (p) { return num(p.performance.f1_low) !== null; });
      timeChart(fp, series, {
        low: 0, high: 1, yLabel: function (v) { return v.toFixed(1); },
        bands: f1Band.length ? [{ className: 'mm-band-f1', low: f1Band.map(function (p) { return { x: p.t, y: num(p.performance.f1_low) }; }), high: f1Band.map(function (p) { return { x: p.t, y: num(p.performance.f1_high) }; }) }] : [],
      });
      legend(fp, [{ name: 'precision (macro)', swatch: 's2' }, { name: 'recall (macro)', swatch: 's4' }, { name: 'F1 (judged) and its interval', swatch: 's3' }]);
      dataTable(fp, ['Time', 'Precision', 'Recall', 'F1', 'F1 low', 'F1 high'], prf.map(function (p) {
        return [fmtStamp(p.at), fmt(p.performance.precision_macro), fmt(p.performance.recall_macro), fmt(f1(p)), fmt(p.performance.f1_low), fmt(p.performance.f1_high)];
      }));
    }

    // Severity per evaluation.
    var fs = figure(box, 'severity', 'Severity per evaluation', 'The severity of each evaluation, none to critical; grey points were skipped (too few predictions).' + note);
    if (points.length === 0) {
      empty(fs, 'No evaluation yet.');
    } else {
      timeChart(fs, [{ name: 'severity', className: 'mm-sev-series', points: points.map(function (p) {
        return { x: p.t, y: p.skipped ? 0 : SEVERITIES.indexOf(p.severity), pointClass: 'mm-p-' + (p.skipped ? 'skipped' : p.severity), title: fmtStamp(p.at) + ' #' + p.sequence + ': ' + (p.skipped ? 'skipped' : p.severity + ' (' + p.diagnosis + ')') + (p.represents > 1 ? ', worst of ' + p.represents : '') };
      }) }], { low: 0, high: 4, axisY: { type: Chartist.FixedScaleAxis, ticks: [0, 1, 2, 3, 4], offset: 60 }, yLabel: function (v) { return SEVERITIES[v] || ''; } });
      dataTable(fs, ['Time', 'Sequence', 'Severity', 'Diagnosis', 'Evaluations'], points.map(function (p) { return [fmtStamp(p.at), String(p.sequence), p.skipped ? 'skipped' : p.severity, p.diagnosis, String(p.represents || 1)]; }));
    }

    // Drifted features per evaluation.
    var fd = figure(box, 'drifted', 'Drifted features per evaluation', 'How many features each evaluation found drifting.' + note);
    if (judged.length === 0) {
      empty(fd, 'No judged evaluation yet.');
    } else {
      timeChart(fd, [{ name: 'drifted features', className: 'mm-s5', points: judged.map(function (p) {
        return { x: p.t, y: (p.drifted_features || []).length, title: fmtStamp(p.at) + ': ' + ((p.drifted_features || []).join(', ') || 'none') };
      }) }], { low: 0, showArea: true, axisY: { onlyInteger: true } });
      dataTable(fd, ['Time', 'Drifted', 'Features'], judged.map(function (p) { return [fmtStamp(p.at), String((p.drifted_features || []).length), (p.drifted_features || []).join(', ')]; }));
    }

    renderTraffic(box, data);
    renderLatency(box, data);
  }

  function renderTraffic(box, data) {
    var traffic = data.traffic;
    var fv = figure(box, 'volume', 'Prediction volume and label mix', 'Predictions per time bucket, stacked by predicted label.' + (traffic ? ' Buckets of ' + fmtDuration(traffic.bucket_seconds) + '.' : ''));
    var buckets = traffic ? traffic.buckets : [];
    if (!traffic || buckets.every(function (b) { return b.predictions === 0; })) {
      empty(fv, traffic ? 'No predictions in this range.' : 'Traffic history needs the audit trail.');
      return;
    }
    var labels = traffic.labels.filter(function (l) { return buckets.some(function (b) { return (b.labels[l] || 0) > 0; }); });
    var span = ms(traffic.to) - ms(traffic.from);
    var every = Math.max(1, Math.ceil(buckets.length / 8));
    var series = labels.map(function (l, i) { return { name: l, className: 'mm-s' + (i % 6 + 1), values: buckets.map(function (b) { return b.labels[l] || 0; }) }; });
    barChart(fv, buckets.map(function (b) { return ms(b.from); }), series, {
      integer: true,
      xLabel: function (v, i) { return i % every === 0 ? fmtTime(v, span) : ''; },
      chartist: { stackBars: true },
      barTitle: function (s, i) { return fmtStamp(buckets[i].from) + ': ' + (buckets[i].labels[labels[s]] || 0) + ' ' + labels[s] + ' of ' + buckets[i].predictions; },
    });
    legend(fv, labels.map(function (l, i) { return { name: l, swatch: 's' + (i % 6 + 1) }; }));
    dataTable(fv, ['Bucket start', 'Predictions'].concat(labels).concat(['Feedback']), buckets.filter(function (b) { return b.predictions > 0 || b.feedback > 0; }).map(function (b) {
      return [fmtStamp(b.from), fmtCount(b.predictions)].concat(labels.map(function (l) { return fmtCount(b.labels[l] || 0); })).concat([fmtCount(b.feedback)]);
    }));
  }

  function renderLatency(box, data) {
    var source = data.latency_source === 'metrics'
      ? 'From the service\'s request-duration histogram (/metrics): percentiles of prediction requests over each refresh interval (since start for the first point).'
      : 'From the audit trail: percentiles of the latency of the request that carried each prediction, per time bucket.';
    var series = (data.latency || []).filter(function (p) { return num(p.p50_ms) !== null; });
    if (series.length === 0 && data.latency_source === 'metrics' && data.traffic) {
      // Nothing served since the service started: show what the audit trail recorded instead.
      series = data.traffic.buckets.filter(function (b) { return num(b.latency_p50_ms) !== null; }).map(function (b) {
        return { at: b.from, p50_ms: b.latency_p50_ms, p90_ms: b.latency_p90_ms, p99_ms: b.latency_p99_ms, count: b.predictions };
      });
      source = 'No prediction request since the service started; from the audit trail instead: percentiles of the latency of the request that carried each prediction, per time bucket.';
    }
    var fl = figure(box, 'latency', 'Latency percentiles', source);
    if (series.length === 0) {
      empty(fl, 'No prediction requests yet.');
      return;
    }
    var line = function (key) { return series.map(function (p) { return { x: ms(p.at), y: num(p[key]), title: fmtStamp(p.at) + ': ' + key.replace('_ms', '') + ' ' + fmt(p[key], 2) + ' ms' }; }); };
    timeChart(fl, [
      { name: 'p50', className: 'mm-s3', points: line('p50_ms') },
      { name: 'p90', className: 'mm-s2', points: line('p90_ms') },
      { name: 'p99', className: 'mm-s5', points: line('p99_ms') },
    ], { low: 0, axisY: { offset: 56 }, yLabel: function (v) { return v + ' ms'; } });
    legend(fl, [{ name: 'p50', swatch: 's3' }, { name: 'p90', swatch: 's2' }, { name: 'p99', swatch: 's5' }]);
    dataTable(fl, ['Time', 'p50 ms', 'p90 ms', 'p99 ms', 'Requests'], series.map(function (p) { return [fmtStamp(p.at), fmt(p.p50_ms, 2), fmt(p.p90_ms, 2), fmt(p.p99_ms, 2), p.count === undefined ? '–' : fmtCount(p.count)]; }));
  }

  /** Bin labels: categories, or the ranges of the reference-quantile bins (closed by the smallest and largest value seen). */
  function binLabels(h) {
    if (h.categories && h.categories.length) { return h.categories.slice(); }
    var edges = (h.edges || []).map(num);
    var low = num(h.low), high = num(h.high);
    var labels = [];
    for (var i = 0; i <= edges.length; i++) {
      var a = i === 0 ? (low === null ? '−∞' : short(low)) : short(edges[i - 1]);
      var b = i === edges.length ? (high === null ? '∞' : short(high)) : short(edges[i]);
      labels.push((i === 0 ? '[' : '(') + a + ', ' + b + ']');
    }
    return labels;
  }

  function short(v) { return Math.abs(v) >= 1000 || (Math.abs(v) < 0.01 && v !== 0) ? v.toPrecision(2) : String(Math.round(v * 100) / 100); }

  function renderDistributions(data) {
    var box = clear('mm-distributions');
    charts = charts.filter(function (c) { if (c.container && box.contains(c.container)) { c.detach(); return false; } return true; });
    var features = (data.now.features || []);
    var feature = features.filter(function (f) { return f.feature === selectedFeature; })[0];
    var fdist = figure(box, 'distribution', feature ? 'Distribution: ' + feature.feature : 'Distribution',
      feature ? 'Share of the reference (blue) and the current window (orange) in each bin' + (feature.kind === 'numeric' ? ' of the reference-quantile bins that PSI compares (equal reference shares by construction).' : ' (category).') : 'Select a feature in the table.');
    if (!feature || !feature.histogram) {
      empty(fdist, feature ? 'This evaluation recorded no histogram for ' + feature.feature + '.' : 'No feature selected.');
    } else {
      distributionChart(fdist, feature.histogram);
    }
    if (data.now.label_mix && data.now.label_mix.histogram) {
      var fmix = figure(box, 'label-mix', 'True labels against the reference', 'Share of each true label among the window\'s labelled predictions (orange) against the reference\'s predicted-label mix (blue); verdict: ' + data.now.label_mix.verdict + '.');
      distributionChart(fmix, data.now.label_mix.histogram);
    }
  }

  function distributionChart(f, h) {
    var labels = binLabels(h);
    var ref = h.reference.map(num), cur = h.current.map(num);
    var refTotal = ref.reduce(function (a, b) { return a + b; }, 0) || 1;
    var curTotal = cur.reduce(function (a, b) { return a + b; }, 0) || 1;
    var refShare = ref.map(function (c) { return c / refTotal; });
    var curShare = cur.map(function (c) { return c / curTotal; });
    barChart(f, labels, [{ name: 'reference', className: 'mm-s1', values: refShare }, { name: 'current', className: 'mm-s2', values: curShare }], {
      yLabel: function (v) { return Math.round(v * 100) + '%'; },
      barTitle: function (s, i) { return labels[i] + ': ' + (s === 0 ? 'reference ' + ref[i] : 'current ' + cur[i]) + ' (' + (100 * (s === 0 ? refShare[i] : curShare[i])).toFixed(1) + '%)'; },
    });
    legend(f, [{ name: 'reference', swatch: 's1' }, { name: 'current window', swatch: 's2' }]);
    dataTable(f, ['Bin', 'Reference', 'Reference %', 'Current', 'Current %'], labels.map(function (l, i) {
      return [l, fmtCount(ref[i]), (100 * refShare[i]).toFixed(1), fmtCount(cur[i]), (100 * curShare[i]).toFixed(1)];
    }));
  }

  function renderAlerts(data) {
    var box = clear('mm-alerts');
    var byType = data.alerts_by_type || {};
    var types = Object.keys(byType);
    var ft = figure(box, 'alert-types', 'Alert types', 'How many alerts of each type fired' + (data.mode === 'report' ? ' in the period.' : ' (from the report).'));
    if (types.length === 0) {
      empty(ft, 'No alert types known.');
    } else {
      barChart(ft, types, [{ name: 'alerts', className: 'mm-s5', values: types.map(function (t) { return byType[t]; }) }], {
        integer: true,
        chartist: { horizontalBars: true, reverseData: true, axisY: { offset: 150 }, axisX: { onlyInteger: true } },
        barTitle: function (s, i) { var t = types.slice().reverse()[i]; return t + ': ' + byType[t]; },
      });
      dataTable(ft, ['Type', 'Alerts'], types.map(function (t) { return [t, fmtCount(byType[t])]; }));
    }

    var alerts = (data.alerts || []).slice().sort(function (a, b) { return ms(a.fired_at) - ms(b.fired_at); }).slice(-200);
    var ftl = figure(box, 'alert-timeline', 'Alert timeline', 'Each alert from when it fired to when it resolved (or now, while firing), one row per type, coloured by severity.');
    if (alerts.length === 0) {
      empty(ftl, 'No alert has fired.');
    } else {
      var rows = [];
      alerts.forEach(function (a) { if (rows.indexOf(a.type) < 0) { rows.push(a.type); } });
      var end = Math.max(ms(data.generated_at) || 0, Math.max.apply(null, alerts.map(function (a) { return ms(a.resolved_at || a.fired_at); })));
      var series = alerts.map(function (a) {
        var y = rows.indexOf(a.type);
        var title = a.type + ' (' + a.severity + ', ' + a.state + '): ' + fmtStamp(a.fired_at) + (a.resolved_at ? ' to ' + fmtStamp(a.resolved_at) : ', still firing') + ' — ' + a.summary;
        return { name: a.id, className: 'mm-alert-span mm-alert-' + a.severity, points: [{ x: ms(a.fired_at), y: y, title: title }, { x: a.resolved_at ? ms(a.resolved_at) : end, y: y, title: title }] };
      });
      timeChart(ftl, series, { low: -0.5, high: rows.length - 0.5, height: Math.max(180, 80 + 40 * rows.length) + 'px', axisY: { type: Chartist.FixedScaleAxis, ticks: rows.map(function (_, i) { return i; }), offset: 150 }, yLabel: function (v) { return rows[v] || ''; } });
      ftl.fig.setAttribute('data-points', String(alerts.length));
      dataTable(ftl, ['Fired', 'Type', 'Severity', 'State', 'Resolved', 'Summary'], alerts.map(function (a) { return [fmtStamp(a.fired_at), a.type, a.severity, a.state, a.resolved_at ? fmtStamp(a.resolved_at) : '–', a.summary]; }));
    }
  }

  function renderFooter(data) {
    var footer = clear('mm-footer');
    footer.appendChild(document.createTextNode(data.mode === 'report'
      ? 'ModelMonitor report: self-contained, built from the audit trail by modelmonitor report --format html. Charts drawn with Chartist 1.5.0 (MIT). Times in UTC.'
      : 'ModelMonitor dashboard: data from this service\'s API, refreshed every ' + data.refresh_seconds + ' s while the page is open. Charts drawn with Chartist 1.5.0 (MIT). Times in UTC.'));
  }

  function render(data) {
    // A refresh redraws everything: keep the keyboard focus and the opened data tables where they were.
    var focusId = document.activeElement && document.activeElement.id;
    var opened = Array.prototype.map.call(document.querySelectorAll('figure.mm-chart details[open]'), function (d) { return d.closest('figure').id; });
    detachCharts();
    renderHeader(data);
    renderBanners(data);
    renderCards(data);
    renderFiring(data);
    renderRecommendations(data);
    renderFeatures(data);
    renderTime(data);
    renderDistributions(data);
    renderAlerts(data);
    renderFooter(data);
    opened.forEach(function (id) {
      var details = document.querySelector('#' + id + ' details');
      if (details) { details.open = true; }
    });
    if (focusId && document.getElementById(focusId) && document.activeElement !== document.getElementById(focusId)) {
      document.getElementById(focusId).focus();
    }
    diagnostics.rendered++;
    document.getElementById('mm-status').textContent = 'Updated ' + fmtStamp(data.generated_at);
    publishDiagnostics();
  }

  // ---------------------------------------------------------------- live mode: the service's API
  function apiKey() {
    try { return sessionStorage.getItem(KEY_STORAGE); } catch (e) { return null; }
  }

  function NeedKey(status) { this.status = status; }

  async function request(path, asText, withKey) {
    var headers = { Accept: asText ? 'text/plain' : 'application/json' };
    var key = withKey ? apiKey() : null;
    if (key) { headers['X-Api-Key'] = key; }
    var response;
    try {
      response = await fetch(path, { headers: headers, cache: 'no-store', credentials: 'same-origin' });
    } catch (e) {
      diagnostics.failedRequests.push(path + ': ' + e.message);
      throw e;
    }
    if (withKey && (response.status === 401 || response.status === 403)) { throw new NeedKey(response.status); }
    if (!response.ok) {
      var detail = '';
      try { detail = (await response.json()).detail || ''; } catch (e) { /* not a problem body */ }
      var error = new Error(path + ' answered ' + response.status + (detail ? ': ' + detail : ''));
      error.status = response.status;
      throw error;
    }
    return asText ? response.text() : response.json();
  }

  /** Percentile from Prometheus cumulative buckets [{le, count}], interpolated inside its bucket as histogram_quantile does. */
  function quantile(q, buckets) {
    var total = buckets.length ? buckets[buckets.length - 1].count : 0;
    if (total <= 0) { return null; }
    var rank = q * total;
    for (var i = 0; i < buckets.length; i++) {
      if (buckets[i].count >= rank) {
        if (!isFinite(buckets[i].le)) { return i > 0 ? buckets[i - 1].le : null; }
        var lower = i > 0 ? buckets[i - 1].le : 0;
        var below = i > 0 ? buckets[i - 1].count : 0;
        var inBucket = buckets[i].count - below;
        return lower + (buckets[i].le - lower) * (inBucket > 0 ? (rank - below) / inBucket : 1);
      }
    }
    return null;
  }

  /** The cumulative request-duration buckets of prediction requests, summed across routes and statuses. */
  function predictionBuckets(metricsText) {
    var sums = {};
    metricsText.split('\n').forEach(function (line) {
      if (line.indexOf('modelmonitor_http_request_duration_seconds_bucket{') !== 0) { return; }
      var labels = {};
      line.slice(line.indexOf('{') + 1, line.lastIndexOf('}')).replace(/(\w+)="((?:[^"\\]|\\.)*)"/g, function (_, k, v) { labels[k] = v; return ''; });
      if (labels.method !== 'POST' || NON_PREDICTING_POSTS.indexOf(labels.route) >= 0) { return; }
      var le = labels.le === '+Inf' ? Infinity : parseFloat(labels.le);
      sums[le] = (sums[le] || 0) + parseFloat(line.slice(line.lastIndexOf(' ') + 1));
    });
    return Object.keys(sums).map(function (k) { return { le: k === 'Infinity' ? Infinity : parseFloat(k), count: sums[k] }; }).sort(function (a, b) { return a.le - b.le; });
  }

  var latencySamples = [];
  var previousBuckets = null;

  function sampleLatency(metricsText, at) {
    var buckets = predictionBuckets(metricsText);
    var interval = buckets;
    if (previousBuckets && previousBuckets.length === buckets.length) {
      interval = buckets.map(function (b, i) { return { le: b.le, count: b.count - previousBuckets[i].count }; });
    }
    previousBuckets = buckets;
    var count = interval.length ? interval[interval.length - 1].count : 0;
    if (count > 0) {
      latencySamples.push({ at: at, p50_ms: 1000 * quantile(0.5, interval), p90_ms: 1000 * quantile(0.9, interval), p99_ms: 1000 * quantile(0.99, interval), count: count });
      if (latencySamples.length > 500) { latencySamples.shift(); }
    }
  }

  function latestAlerts(records) {
    var byId = {};
    records.forEach(function (r) { if (r.alert) { byId[r.alert.id] = r.alert; } });
    return Object.keys(byId).map(function (id) { return byId[id]; });
  }

  /** The latest evaluation's features from /drift, each with its histogram from the history's latest record. */
  function mergeFeatures(evaluation, latest) {
    var recorded = {};
    ((latest && latest.features) || []).forEach(function (f) { recorded[f.feature] = f; });
    var live = evaluation && evaluation.features && evaluation.features.length ? evaluation.features : null;
    if (!live) { return (latest && latest.features) || []; }
    return live.map(function (f) {
      var record = recorded[f.feature];
      return Object.assign({}, f, { histogram: record ? record.histogram : null });
    });
  }

  async function loadLive(config, rangeHours) {
    var generatedAt = new Date();
    var to = new Date(generatedAt.getTime() + 1000);
    var from = rangeHours > 0 ? new Date(generatedAt.getTime() - rangeHours * 3600000) : null;
    var notes = [];
    var open = await Promise.all([request('/drift'), request('/alerts'), request('/report'), request('/metrics', true)]);
    var drift = open[0], alerts = open[1], report = open[2], metrics = open[3];
    sampleLatency(metrics, generatedAt.toISOString());

    var history = null, traffic = null, alertRecords = null, needsKey = false, keyRejected = false;
    try {
      var rangeFrom = from || (report.period_from ? new Date(report.period_from) : new Date(generatedAt.getTime() - 86400000));
      var audited = await Promise.all([
        request('/drift/history?detail=summary&max_points=' + config.max_points + (from ? '&from=' + encodeURIComponent(from.toISOString()) : ''), false, true),
        request('/traffic/history?from=' + encodeURIComponent(rangeFrom.toISOString()) + '&to=' + encodeURIComponent(to.toISOString()) + '&buckets=' + config.traffic_buckets, false, true),
        request('/audit?kind=alert&order=asc&limit=1000' + (from ? '&from=' + encodeURIComponent(from.toISOString()) : ''), false, true),
      ]);
      history = audited[0]; traffic = audited[1]; alertRecords = audited[2].records;
    } catch (e) {
      if (e instanceof NeedKey) {
        needsKey = true;
        keyRejected = !!apiKey();
        notes.push({ text: e.status === 403 ? 'The API key given cannot read the audit trail: history, traffic and the alert timeline need an audit or admin key.' : 'History, traffic and the alert timeline come from the audit trail, which needs an API key here.' });
      } else if (e.status === 404) {
        notes.push({ text: 'The audit trail is off (Audit:Enabled=false): no history, traffic or alert timeline.' });
      } else {
        throw e;
      }
    }

    var evaluation = drift.evaluation;
    // The latest evaluation in the range, with its features and histograms (the points carry only summaries).
    var latest = history ? history.latest : null;
    if (evaluation && evaluation.restored_from_audit) {
      notes.push({ text: 'Restarted: the latest evaluation (#' + evaluation.sequence + ') was read back from the audit trail; the feature detail shown is its audit record\'s.' });
    }
    return {
      mode: 'live',
      generated_at: generatedAt.toISOString(),
      refresh_seconds: config.refresh_seconds,
      period_from: report.period_from,
      period_to: report.period_to,
      counts: { predictions: report.predictions, feedback: report.feedback, feedback_joined: report.feedback_joined, evaluations: report.drift.evaluations, evaluations_with_drift: report.drift.with_drift, skipped: report.drift.skipped },
      now: {
        severity: drift.severity,
        diagnosis: evaluation ? evaluation.diagnosis : null,
        evaluated_at: evaluation ? evaluation.evaluated_at : null,
        sequence: evaluation ? evaluation.sequence : null,
        skipped_reason: evaluation ? evaluation.skipped_reason : null,
        window: drift.window.predictions_in_window,
        window_capacity: drift.window.window_capacity,
        labelled: evaluation ? evaluation.window_labelled : null,
        reference_count: drift.reference.count,
        reference_state: drift.reference.state,
        features: mergeFeatures(evaluation, latest),
        label_mix: evaluation && evaluation.label_mix ? Object.assign({}, evaluation.label_mix, { histogram: latest && latest.label_mix ? latest.label_mix.histogram : null }) : (latest ? latest.label_mix : null),
        firing: alerts.active,
        recommendation: evaluation ? evaluation.recommendation : null,
      },
      recommendations: report.recommendations,
      performance: report.performance,
      estimation: report.estimation,
      history: history ? history.evaluations : [],
      history_downsampled: history ? history.downsampled : null,
      traffic: traffic,
      latency: latencySamples.slice(),
      latency_source: 'metrics',
      alerts: alertRecords ? latestAlerts(alertRecords) : alerts.recent,
      alerts_by_type: report.drift.alerts_by_type,
      notes: notes,
      needs_key: needsKey,
      key_rejected: keyRejected,
    };
  }

  var liveState = null;

  function keyForm(rejected) {
    var input = el('input', { type: 'password', id: 'mm-key', name: 'key', autocomplete: 'off', required: true, size: 36 });
    var form = el('form', { class: 'mm-key', id: 'mm-key-form' }, [
      el('label', { for: 'mm-key', text: rejected ? 'That key was refused. API key (sent as X-Api-Key):' : 'API key (sent as X-Api-Key; kept in this tab only):' }),
      input,
      el('button', { type: 'submit', text: 'Use key' }),
    ]);
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      try { sessionStorage.setItem(KEY_STORAGE, input.value); } catch (err) { noteError(err.message); }
      refreshNow();
    });
    return el('div', { class: 'mm-banner' }, [form]);
  }

  function controls(config) {
    var box = clear('mm-controls');
    var select = el('select', { id: 'mm-range', 'aria-label': 'Time range' }, [[1, 'Last hour'], [6, 'Last 6 hours'], [24, 'Last 24 hours'], [168, 'Last 7 days'], [720, 'Last 30 days'], [0, 'Everything']].map(function (o) {
      return el('option', { value: o[0], selected: o[0] === liveState.rangeHours, text: o[1] });
    }));
    if (!select.querySelector('[selected]')) {
      select.insertBefore(el('option', { value: liveState.rangeHours, selected: true, text: 'Last ' + liveState.rangeHours + ' hours' }), select.firstChild);
    }
    select.addEventListener('change', function () { liveState.rangeHours = Number(select.value); refreshNow(); });
    var refresh = el('button', { type: 'button', id: 'mm-refresh', text: 'Refresh' });
    refresh.addEventListener('click', refreshNow);
    var forget = el('button', { type: 'button', id: 'mm-forget-key', text: 'Forget API key', hidden: !apiKey() });
    forget.addEventListener('click', function () { try { sessionStorage.removeItem(KEY_STORAGE); } catch (e) { /* none */ } refreshNow(); });
    box.appendChild(el('label', { for: 'mm-range', class: 'mm-sub', text: 'Range' }));
    box.appendChild(select);
    box.appendChild(refresh);
    box.appendChild(forget);
    box.appendChild(el('span', { class: 'mm-sub', text: config.refresh_seconds > 0 ? 'Refreshes every ' + config.refresh_seconds + ' s' : 'Automatic refresh off' }));
  }

  async function refreshNow() {
    clearTimeout(liveState.timer);
    try {
      var data = await loadLive(liveState.config, liveState.rangeHours);
      document.getElementById('mm-forget-key').hidden = !apiKey();
      render(data);
    } catch (e) {
      var box = clear('mm-banners');
      box.appendChild(el('div', { class: 'mm-banner mm-error', role: 'alert', text: 'Could not load the monitoring data: ' + e.message }));
      diagnostics.failedRequests.push(e.message);
      publishDiagnostics();
    }
    schedule();
  }

  function schedule() {
    if (liveState.config.refresh_seconds > 0) {
      liveState.timer = setTimeout(function () {
        if (document.hidden) { schedule(); } else { refreshNow(); }
      }, liveState.config.refresh_seconds * 1000);
    }
  }

  // ---------------------------------------------------------------- start
  var preset = readJson('mm-data');
  if (preset) {
    render(preset);
  } else {
    var config = readJson('mm-config') || {};
    config.refresh_seconds = config.refresh_seconds === undefined ? 15 : config.refresh_seconds;
    config.max_points = config.max_points || 300;
    config.traffic_buckets = config.traffic_buckets || 96;
    liveState = { config: config, rangeHours: config.range_hours === undefined ? 24 : config.range_hours, timer: null };
    controls(config);
    refreshNow();
  }
})();

// The charts of an HpcTune report, drawn with Apache ECharts from the study data written by ReportData.cs
// (column arrays: trial i is index i of every trials.* array). When every chart has drawn, window.hpctuneReport
// says so: { ready: true, charts: N, ms: time since navigation, timings: {chart id: ms to set it up, and the
// phases "(page before the charts)" and "(set up to drawn)"} };
// the tests and the load benchmark wait for it.
"use strict";
var HpcTuneReport = (function () {
  var STATE_COLORS = { completed: "#3b6fb6", pruned: "#9a9a9a", failed: "#c0392b", interrupted: "#e08e0b", open: "#2ca25f", deleted: "#cccccc" };
  // Above this many points a series draws in ECharts' large mode (one path, no per-point animation), and all at
  // once ('progressive: 0'): drawn in chunks over several frames, the page would take longer to be complete.
  var LARGE = 2000;

  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; });
  }

  function fmt(x) {
    if (x === null || x === undefined) return "";
    if (typeof x !== "number") return String(x);
    return Math.abs(x) >= 1e5 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(4) : String(+x.toPrecision(6));
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // --- the study, read once -------------------------------------------------------------------------------------
  function Study(d) {
    this.d = d;
    var t = d.trials;
    this.n = t.id.length;
    this.stateName = function (i) { return d.states[t.state[i]]; };
    this.objectives = d.objectives.map(function (m) { return d.metrics[m]; });
    this.objectiveIndex = d.objectives;
    this.t0 = d.study.t0;
    // Trials in the order they finished; best so far counts feasible completed trials only, like status.
    var order = [];
    for (var i = 0; i < this.n; i++) if (t.finished[i] !== null && d.states[t.state[i]] !== "deleted") order.push(i);
    order.sort(function (a, b) { return t.finished[a] - t.finished[b] || a - b; });
    this.finishedOrder = order;
  }

  Study.prototype.better = function (metric, a, b) { return metric.direction === "maximize" ? a > b : a < b; };

  Study.prototype.label = function (metric) {
    return metric.name + (metric.direction === "maximize" ? " (max)" : " (min)");
  };

  // --- charts -----------------------------------------------------------------------------------------------------
  var pending = 0, drawn = 0, total = 0, timings = {}, setUp = 0;

  function chart(parent, id, option, height) {
    var box = el("div", "chart");
    box.dataset.chart = id;
    if (height) box.style.height = height + "px";
    parent.appendChild(box);
    total++;
    pending++;
    var started = performance.now();
    try {
      var c = echarts.init(box, null, { renderer: "canvas" });
      var done = false;
      c.on("finished", function () {
        if (done) return;
        done = true;
        box.dataset.drawn = "true";
        finishOne();
      });
      option.animation = false;
      c.setOption(option);
      window.addEventListener("resize", function () { c.resize(); });
      timings[id] = performance.now() - started;
      return c;
    } catch (e) {
      box.className = "chart-error";
      box.textContent = "This chart could not be drawn: " + e;
      console.error("chart " + id + ":", e);
      finishOne();
      return null;
    }
  }

  function finishOne() {
    pending--;
    drawn++;
    if (pending === 0) {
      var now = performance.now();
      timings["(set up to drawn)"] = now - setUp;
      window.hpctuneReport = { ready: true, charts: total, ms: now, timings: timings };
      document.body.dataset.ready = "true";
    }
  }

  function section(title, note) {
    var s = el("section");
    s.appendChild(el("h2", null, title));
    if (note) s.appendChild(el("p", "note", note));
    document.getElementById("charts").appendChild(s);
    return s;
  }

  function baseOption(xName, yName) {
    return {
      grid: { left: 70, right: 30, top: 40, bottom: 50 },
      tooltip: { trigger: "item", confine: true },
      legend: { top: 4, type: "scroll" },
      xAxis: { type: "value", name: xName, nameLocation: "middle", nameGap: 28, scale: true },
      yAxis: { type: "value", name: yName, scale: true },
      series: [],
    };
  }

  // A scatter series of [x, y, trial] points. Above LARGE points it is drawn as one path (ECharts' large mode) and
  // its points go in as a typed array of x, y and trial per point, which ECharts reads without an array per point.
  function scatter(name, points, symbolSize, itemStyle) {
    var s = { name: name, type: "scatter", symbolSize: symbolSize, itemStyle: itemStyle, data: points };
    if (points.length > LARGE) {
      var flat = new Float64Array(points.length * 3);
      for (var k = 0; k < points.length; k++) {
        flat[3 * k] = points[k][0];
        flat[3 * k + 1] = points[k][1];
        flat[3 * k + 2] = points[k][2];
      }
      s.data = flat;
      s.dimensions = ["x", "y", "trial"];
      s.encode = { x: 0, y: 1 };
      s.large = true;
      s.progressive = 0;
    }
    return s;
  }

  function trialTooltip(study, valueName) {
    var ids = study.d.trials.id;
    return function (p) {
      var v = p.value;
      return "trial " + esc(ids[v[2]]) + "<br>" + esc(valueName) + " = " + esc(fmt(v[1]));
    };
  }

  // Best value so far of one objective: x is the finishing order (trials) or the finishing time. Only the points
  // where it improves and the last one: drawn as steps, the rest would repeat the value before them.
  function bestSoFar(study, metricIndex, byTime) {
    var d = study.d, t = d.trials, metric = d.metrics[metricIndex], values = t.values[metricIndex];
    var points = [], best = null, t0 = study.t0, order = study.finishedOrder, last = null;
    order.forEach(function (i, k) {
      var improved = study.stateName(i) === "completed" && t.feasible[i] && values[i] !== null && (best === null || study.better(metric, values[i], best));
      if (improved) best = values[i];
      if (best === null) return;
      last = [byTime ? t0 + t.finished[i] * 1000 : k + 1, best];
      if (improved) points.push(last);
    });
    if (last !== null && points[points.length - 1] !== last) points.push(last);
    return points;
  }

  function progressChart(parent, study, metricIndex) {
    var d = study.d, t = d.trials, metric = d.metrics[metricIndex], values = t.values[metricIndex];
    var groups = { completed: [], infeasible: [], pruned: [] };
    study.finishedOrder.forEach(function (i, k) {
      if (values[i] === null) return;
      var s = study.stateName(i);
      var g = s === "pruned" ? "pruned" : s === "completed" ? (t.feasible[i] ? "completed" : "infeasible") : null;
      if (g) groups[g].push([k + 1, values[i], i]);
    });
    var o = baseOption("trials finished", study.label(metric));
    o.tooltip.formatter = trialTooltip(study, metric.name);
    var colors = { completed: STATE_COLORS.completed, infeasible: "#d35400", pruned: STATE_COLORS.pruned };
    Object.keys(groups).forEach(function (g) {
      if (groups[g].length === 0) return;
      o.series.push(scatter(g, groups[g], 5, { color: colors[g], opacity: 0.7 }));
    });
    o.series.push({ name: "best so far", type: "line", step: "end", showSymbol: false, data: bestSoFar(study, metricIndex, false), lineStyle: { color: "#111", width: 2 }, itemStyle: { color: "#111" }, tooltip: { show: false } });
    chart(parent, "progress-" + metric.name, o);
  }

  function timeProgressChart(parent, study, metricIndex) {
    var metric = study.d.metrics[metricIndex];
    var o = baseOption("wall time", study.label(metric));
    o.xAxis.type = "time";
    o.tooltip = { trigger: "axis" };
    o.series.push({ name: "best so far", type: "line", step: "end", showSymbol: false, data: bestSoFar(study, metricIndex, true), lineStyle: { color: "#111", width: 2 }, itemStyle: { color: "#111" } });
    chart(parent, "best-time-" + metric.name, o);
  }

  function parameterCharts(parent, study) {
    var d = study.d, t = d.trials, metricIndex = d.objectives[0], metric = d.metrics[metricIndex], values = t.values[metricIndex];
    var grid = el("div", "small-multiples");
    parent.appendChild(grid);
    d.parameters.forEach(function (p, pi) {
      var column = t.params[pi], completed = [], pruned = [];
      for (var i = 0; i < study.n; i++) {
        if (column[i] === null || values[i] === null) continue;
        var s = study.stateName(i);
        if (s === "completed") completed.push([column[i], values[i], i]);
        else if (s === "pruned") pruned.push([column[i], values[i], i]);
      }
      var o = baseOption(p.name, study.label(metric));
      o.grid = { left: 60, right: 16, top: 30, bottom: 50 };
      o.legend.show = false;
      if (p.categories) {
        o.xAxis = { type: "category", name: p.name, nameLocation: "middle", nameGap: 28, data: p.categories, axisLabel: { hideOverlap: true } };
      } else if (p.log) {
        o.xAxis.type = "log";
      }
      var ids = t.id;
      o.tooltip.formatter = function (q) {
        var v = q.value, x = p.categories ? p.categories[v[0]] : fmt(v[0]);
        return "trial " + esc(ids[v[2]]) + "<br>" + esc(p.name) + " = " + esc(x) + "<br>" + esc(metric.name) + " = " + esc(fmt(v[1]));
      };
      o.series.push(scatter("completed", completed, 5, { color: STATE_COLORS.completed, opacity: 0.6 }));
      if (pruned.length) o.series.push(scatter("pruned", pruned, 4, { color: STATE_COLORS.pruned, opacity: 0.6 }));
      chart(grid, "parameter-" + p.name, o, 280);
    });
  }

  // Parallel coordinates. ECharts' own parallel series builds one graphic element per line, which dominated the load
  // time of a 10,000-trial report; here the parallel component only draws the axes (and takes the brushing), and the
  // lines are 'lines' series in large mode on a hidden grid laid over it, one path per colour: trials fall into
  // quantile groups of the first objective, best drawn last. Their data are ECharts' flat form (a typed array of
  // point count, x, y, x, y, ... per line), which it reads without making an object per line. Each axis gets its
  // extent, so that a value's height on it is known here: (v - min) / (max - min), on log axes of the logs, and
  // category k of n in the middle of its band, (k + 0.5) / n.
  var GROUP_COLORS = ["#08306b", "#1f4e8c", "#3b6ba6", "#5a87bd", "#7ea3cf", "#a3bddc", "#c4d2e5", "#d7dbe8"];

  // An extent widened to round numbers, about five steps of 1, 2 or 5 times a power of ten, as ECharts' own axes.
  function rounded(e) {
    var span = e[1] - e[0];
    if (!(span > 0)) return e[0] === 0 ? [-1, 1] : [e[0] - Math.abs(e[0]) / 2, e[0] + Math.abs(e[0]) / 2];
    var power = Math.pow(10, Math.floor(Math.log10(span / 5))), ratio = span / 5 / power;
    var step = power * (ratio <= 1 ? 1 : ratio <= 2 ? 2 : ratio <= 5 ? 5 : 10);
    return [+(Math.floor(e[0] / step) * step).toPrecision(12), +(Math.ceil(e[1] / step) * step).toPrecision(12)];
  }

  function parallelAxes(study) {
    var d = study.d, t = d.trials, axes = [];
    function extent(column) {
      var min = Infinity, max = -Infinity;
      for (var i = 0; i < study.n; i++) {
        var v = column[i];
        if (v === null || study.stateName(i) !== "completed") continue;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      return min === Infinity ? [0, 1] : [min, max];
    }
    function numeric(a, column, log) {
      var e = extent(column);
      log = log && e[0] > 0;
      var f = log ? Math.log : function (v) { return v; };
      e = log ? [Math.pow(10, Math.floor(Math.log10(e[0]))), Math.pow(10, Math.ceil(Math.log10(e[1])))] : rounded(e);
      if (log) a.type = "log";
      a.min = e[0];
      a.max = e[1];
      var low = f(e[0]), span = f(e[1]) - low;
      a.height = function (v) { return span > 0 ? (f(v) - low) / span : 0.5; };
      a.values = column;
      return a;
    }
    d.parameters.forEach(function (p, pi) {
      var a = { id: "axis" + axes.length, dim: axes.length, name: p.name };
      if (p.categories) {
        var count = p.categories.length;
        a.type = "category";
        a.data = p.categories;
        a.height = function (v) { return (v + 0.5) / count; };
        a.values = t.params[pi];
        axes.push(a);
      } else {
        axes.push(numeric(a, t.params[pi], p.log));
      }
    });
    d.objectives.forEach(function (m) {
      axes.push(numeric({ id: "axis" + axes.length, dim: axes.length, name: d.metrics[m].name, nameTextStyle: { fontWeight: "bold" } }, t.values[m], false));
    });
    return axes;
  }

  // Completed trials by colour group: quantiles of the first objective, the best group first.
  function parallelGroups(study) {
    var d = study.d, t = d.trials, metric = study.objectives[0], color = t.values[d.objectives[0]];
    var rows = [], missing = [];
    for (var i = 0; i < study.n; i++) {
      if (study.stateName(i) !== "completed") continue;
      (color[i] === null ? missing : rows).push(i);
    }
    var sign = metric.direction === "maximize" ? -1 : 1;
    rows.sort(function (a, b) { return sign * (color[a] - color[b]) || a - b; });
    var count = Math.min(GROUP_COLORS.length, rows.length), groups = [];
    for (var g = 0; g < count; g++) {
      var members = rows.slice(Math.floor(g * rows.length / count), Math.floor((g + 1) * rows.length / count));
      var low = color[members[0]], high = color[members[members.length - 1]];
      groups.push({ name: fmt(Math.min(low, high)) + " to " + fmt(Math.max(low, high)), color: GROUP_COLORS[Math.round(g * (GROUP_COLORS.length - 1) / Math.max(1, count - 1))], trials: members });
    }
    if (missing.length) groups.push({ name: "no value", color: "#999999", trials: missing });
    return groups;
  }

  // A 'lines' series of polylines in the flat form, drawn as one path. ECharts' large mode fails on an empty series
  // (it has no points to lay out), so one with no lines is a plain empty series.
  function polylines(name, flat, color, opacity) {
    return { name: name, type: "lines", coordinateSystem: "cartesian2d", polyline: true, data: flat.length ? new Float64Array(flat) : [], large: flat.length > 0, largeThreshold: 0, progressive: 0,
      silent: true, lineStyle: { width: 1, color: color, opacity: opacity } };
  }

  function parallelChart(parent, study) {
    var axes = parallelAxes(study), groups = parallelGroups(study), selected = {};
    var total = groups.reduce(function (n, g) { return n + g.trials.length; }, 0);
    var opacity = total > LARGE ? 0.25 : 0.6;
    // Trial i's line appended to flat: its point count, then x (the axis) and y (the height) of each point.
    function addLine(flat, i) {
      var at = flat.length;
      flat.push(0);
      for (var c = 0; c < axes.length; c++) {
        var v = axes[c].values[i];
        if (v !== null && !isNaN(v)) { flat.push(c, axes[c].height(v)); flat[at]++; }
      }
    }
    function inSelection(i) {
      for (var c = 0; c < axes.length; c++) {
        var intervals = selected[axes[c].id];
        if (!intervals || !intervals.length) continue;
        var v = axes[c].values[i], hit = false;
        for (var k = 0; k < intervals.length && !hit; k++) hit = v !== null && v >= Math.min(intervals[k][0], intervals[k][1]) && v <= Math.max(intervals[k][0], intervals[k][1]);
        if (!hit) return false;
      }
      return true;
    }
    // The series: the lines outside a brushed selection first, in grey, then each group from the worst to the best.
    function series() {
      var outside = [];
      var drawn = groups.map(function (g) {
        var data = [];
        g.trials.forEach(function (i) { addLine(inSelection(i) ? data : outside, i); });
        return polylines(g.name, data, g.color, opacity);
      }).reverse();
      return [polylines("outside the selection", outside, "#bbbbbb", opacity / 2)].concat(drawn);
    }
    var box = { left: 60, right: 70, top: 70, bottom: 40 };
    var o = {
      parallelAxis: axes.map(function (a) {
        var shown = {};
        Object.keys(a).forEach(function (k) { if (k !== "height" && k !== "values") shown[k] = a[k]; });
        return shown;
      }),
      parallel: Object.assign({ parallelAxisDefault: { nameLocation: "end", nameGap: 12, axisLabel: { hideOverlap: true } } }, box),
      grid: box,
      xAxis: { type: "value", min: 0, max: axes.length - 1, show: false },
      yAxis: { type: "value", min: 0, max: 1, show: false },
      legend: { top: 4, type: "scroll", data: groups.map(function (g) { return g.name; }) },
      series: series(),
    };
    var c = chart(parent, "parallel", o, 420);
    if (c) {
      c.on("axisareaselected", function (e) {
        selected[e.parallelAxisId] = e.intervals;
        c.setOption({ series: series() });
      });
    }
  }

  function paretoCharts(parent, study) {
    var d = study.d, t = d.trials, obj = d.objectives;
    var grid = el("div", "small-multiples");
    parent.appendChild(grid);
    for (var a = 0; a < obj.length; a++) {
      for (var b = a + 1; b < obj.length; b++) {
        var ma = d.metrics[obj[a]], mb = d.metrics[obj[b]], va = t.values[obj[a]], vb = t.values[obj[b]];
        var front = [], rest = [], infeasible = [];
        for (var i = 0; i < study.n; i++) {
          if (study.stateName(i) !== "completed" || va[i] === null || vb[i] === null) continue;
          var p = [va[i], vb[i], i];
          (t.pareto[i] ? front : t.feasible[i] ? rest : infeasible).push(p);
        }
        front.sort(function (x, y) { return x[0] - y[0]; });
        var o = baseOption(study.label(ma), study.label(mb));
        o.grid = { left: 70, right: 20, top: 40, bottom: 50 };
        var ids = t.id;
        o.tooltip.formatter = function (q) {
          var v = q.value;
          return "trial " + esc(ids[v[2]]) + "<br>" + esc(fmt(v[0])) + ", " + esc(fmt(v[1]));
        };
        o.series.push(scatter("dominated", rest, 5, { color: "#9db4d6", opacity: 0.6 }));
        if (infeasible.length) o.series.push(scatter("infeasible", infeasible, 5, { color: "#d35400", opacity: 0.5 }));
        o.series.push({ name: "Pareto front", type: "scatter", symbolSize: 8, data: front, itemStyle: { color: "#c0392b" }, z: 3 });
        chart(grid, "pareto-" + ma.name + "-" + mb.name, o, 340);
      }
    }
  }

  function reportsChart(parent, study) {
    var d = study.d, metricIndex = d.objectives[0], metric = d.metrics[metricIndex];
    var groups = {};
    d.reports.forEach(function (r) {
      var i = r[0], steps = r[1], values = r[2][metricIndex], s = study.stateName(i);
      var g = groups[s] || (groups[s] = []);
      for (var k = 0; k < steps.length; k++) if (values[k] !== null) g.push([steps[k], values[k], i]);
      g.push([null, null, i]); // a break between trials: one series draws every curve of a state
    });
    var o = baseOption("step", study.label(metric));
    o.tooltip.formatter = trialTooltip(study, metric.name);
    Object.keys(groups).forEach(function (s) {
      o.series.push({ name: s, type: "line", data: groups[s], connectNulls: false, showSymbol: groups[s].length < 400, symbolSize: 3,
        lineStyle: { width: 1, opacity: 0.6, color: STATE_COLORS[s] }, itemStyle: { color: STATE_COLORS[s] } });
    });
    chart(parent, "reports", o, 420);
  }

  function lineageChart(parent, study) {
    var d = study.d, t = d.trials, L = d.lineage, metricIndex = d.objectives[0], values = t.values[metricIndex];
    var nodes = [], edges = [], min = Infinity, max = -Infinity;
    for (var i = 0; i < study.n; i++) {
      if (L.generation[i] === null || L.member[i] === null) continue;
      var v = values[i];
      nodes.push([L.generation[i], L.member[i], v === null ? NaN : v, i]);
      if (v !== null) { if (v < min) min = v; if (v > max) max = v; }
      var p = L.parent[i];
      if (p !== null && L.generation[p] !== null && L.member[p] !== null) {
        var exploited = L.member[p] !== L.member[i];
        edges.push({ coords: [[L.generation[p], L.member[p]], [L.generation[i], L.member[i]]], lineStyle: { color: exploited ? "#c0392b" : "#8899aa", width: exploited ? 1.5 : 1 } });
      }
    }
    var ids = t.id, metric = d.metrics[metricIndex];
    var o = baseOption("generation", "member");
    o.xAxis.minInterval = 1;
    o.yAxis.minInterval = 1;
    o.yAxis.inverse = true;
    o.legend.show = false;
    o.visualMap = { type: "continuous", dimension: 2, seriesIndex: 1, min: min === Infinity ? 0 : min, max: max === -Infinity ? 1 : max, right: 0, top: "middle", calculable: true,
      inRange: { color: metric.direction === "maximize" ? ["#d7dbe8", "#08306b"] : ["#08306b", "#d7dbe8"] }, text: [metric.name, ""] };
    o.grid.right = 90;
    o.tooltip.formatter = function (q) {
      if (q.seriesType !== "scatter") return "";
      var v = q.value;
      return "trial " + esc(ids[v[3]]) + "<br>member " + esc(v[1]) + ", generation " + esc(v[0]) + "<br>" + esc(metric.name) + " = " + esc(fmt(v[2]));
    };
    o.series.push({ name: "parents", type: "lines", coordinateSystem: "cartesian2d", data: edges, silent: true, z: 1 });
    o.series.push({ name: "trials", type: "scatter", data: nodes, symbolSize: 9, z: 2 });
    var members = nodes.reduce(function (m, n) { return Math.max(m, n[1]); }, 0) + 1;
    chart(parent, "lineage", o, Math.min(1600, Math.max(320, members * 22 + 90)));
  }

  function timelineChart(parent, study) {
    var d = study.d, T = d.timeline, t0 = study.t0, ids = d.trials.id;
    var used = {}, k;
    for (k = 0; k < T.worker.length; k++) used[T.worker[k]] = true;
    var rows = Object.keys(used).map(Number);
    var collator = new Intl.Collator(undefined, { numeric: true });
    rows.sort(function (a, b) { return collator.compare(d.workers[a], d.workers[b]); });
    var rowOf = {};
    rows.forEach(function (w, r) { rowOf[w] = r; });
    var names = rows.map(function (w) { return d.workers[w] + " (" + Math.round(100 * T.busy[w]) + " %)"; });
    // One 'lines' series per outcome, each attempt a thick horizontal segment: ECharts draws a large one as a single
    // path, where a custom series would build an element per attempt (slow for a 10,000-trial study).
    var height = Math.min(2400, Math.max(240, rows.length * 18 + 90));
    var thickness = Math.max(1, Math.min(12, ((height - 90) / Math.max(1, rows.length)) * 0.7));
    var first = Infinity, last = -Infinity;
    for (k = 0; k < T.start.length; k++) { first = Math.min(first, T.start[k]); last = Math.max(last, T.end[k]); }
    var minimum = Math.max(0.001, (last - first) / 1500); // an attempt just handed out still shows
    // Per outcome its attempts (indices into the timeline) and their segments in ECharts' flat form for large
    // 'lines' series: 2, then x, y of the start and x, y of the end, per attempt.
    var byOutcome = {};
    for (k = 0; k < T.worker.length; k++) {
      var outcome = d.states[T.outcome[k]], row = rowOf[T.worker[k]];
      var g = byOutcome[outcome] || (byOutcome[outcome] = { attempts: [], flat: [] });
      g.attempts.push(k);
      g.flat.push(2, t0 + T.start[k] * 1000, row, t0 + Math.max(T.end[k], T.start[k] + minimum) * 1000, row);
    }
    var outcomes = Object.keys(byOutcome);
    var o = {
      grid: { left: 150, right: 30, top: 40, bottom: 50 },
      legend: { top: 4 },
      tooltip: { trigger: "item", confine: true, formatter: function (q) {
        var a = byOutcome[outcomes[q.seriesIndex]].attempts[q.dataIndex];
        return "trial " + esc(ids[T.trial[a]]) + " on " + esc(d.workers[T.worker[a]]) + "<br>" + esc(q.seriesName) + ", " + esc(fmt(T.end[a] - T.start[a])) + " s";
      } },
      // A lines series does not widen its axes: the time axis is given its extent.
      xAxis: { type: "time", name: "wall time", nameLocation: "middle", nameGap: 28, min: t0 + first * 1000, max: t0 + (last + minimum) * 1000 },
      yAxis: { type: "category", data: names, inverse: true, axisLabel: { interval: rows.length > 60 ? "auto" : 0 } },
      series: outcomes.map(function (outcome) {
        return { name: outcome, type: "lines", coordinateSystem: "cartesian2d", data: new Float64Array(byOutcome[outcome].flat), large: true, largeThreshold: 0, progressive: 0,
          lineStyle: { width: thickness, color: STATE_COLORS[outcome] || "#777", opacity: 1, cap: "butt" } };
      }),
    };
    chart(parent, "timeline", o, height);

    var shares = rows.map(function (w) { return Math.round(1000 * T.busy[w]) / 10; });
    var b = {
      grid: { left: 150, right: 30, top: 20, bottom: 40 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "value", name: "busy %", max: 100, nameLocation: "middle", nameGap: 26 },
      yAxis: { type: "category", data: rows.map(function (w) { return d.workers[w]; }), inverse: true, axisLabel: { interval: rows.length > 60 ? "auto" : 0 } },
      series: [{ type: "bar", data: shares, itemStyle: { color: "#3b6fb6" } }],
    };
    chart(parent, "busy", b, Math.min(2400, Math.max(200, rows.length * 16 + 60)));
  }

  function summary(study) {
    var s = study.d.study, parts = [
      "status " + s.status, s.completed + " completed of " + s.budget, s.failed + " failed", s.pruned + " pruned", s.open + " open",
      s.interrupted + " interrupted", "algorithm " + s.algorithm,
    ];
    if (s.early_stopping) parts.push("early stopping " + s.early_stopping);
    parts.push(study.objectives.map(function (m) { return study.label(m); }).join(", "));
    parts.push(s.runs.length + " run(s)");
    if (study.d.timeline.running_seconds > 0) parts.push("ran " + fmt(study.d.timeline.running_seconds) + " s");
    parts.push("written " + s.generated);
    return parts.join(" · ");
  }

  function render(data) {
    timings["(page before the charts)"] = performance.now();
    var study = new Study(data);
    document.title = "HpcTune report: " + data.study.name;
    document.getElementById("title").textContent = "Study " + data.study.name;
    document.getElementById("summary").textContent = summary(study);
    if (data.study.warning) {
      var w = document.getElementById("warning");
      w.textContent = "Note: " + data.study.warning;
      w.hidden = false;
    }
    pending++; // held until every chart is set up, so that an early 'finished' cannot report the page ready
    data.objectives.forEach(function (m) {
      var name = data.metrics[m].name;
      progressChart(section("Progress of " + name, "Every trial's value in the order trials finished, and the best feasible value so far."), study, m);
      timeProgressChart(section("Best " + name + " against wall time"), study, m);
    });
    if (data.parameters.length) {
      parameterCharts(section("Parameters against " + data.metrics[data.objectives[0]].name, "One point per completed (and pruned) trial; inactive parameters are left out."), study);
      parallelChart(section("Parallel coordinates", "One line per completed trial, coloured by " + data.metrics[data.objectives[0]].name + "; drag along an axis to select."), study);
    }
    if (data.objectives.length > 1) paretoCharts(section("Pareto front", "Completed trials on each pair of objectives; the front of feasible trials in red."), study);
    if (data.reports.length) reportsChart(section("Intermediate reports", "Learning curves of " + data.metrics[data.objectives[0]].name + " by step, one line per trial that reported."), study);
    if (data.lineage) lineageChart(section("Population lineage", "Each trial at its generation and member; lines from the trial it continued (red: exploited from another member)."), study);
    if (data.timeline.worker.length) timelineChart(section("Workers", "Each trial attempt on its worker from hand-out to result; the label and the bars below give each worker's busy share of the time the study ran."), study);
    setUp = performance.now();
    finishOne();
    drawn--;
  }

  return { render: render };
})();

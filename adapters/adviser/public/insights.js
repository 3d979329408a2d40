// The insights page: one school's anonymous weekly figures, as server-drawn SVG charts, tables
// and a CSV download. Plain DOM and no inline script (the console's Content-Security-Policy).
//
// SECURITY: every text from the server goes in with textContent / createTextNode only; nothing
// here assigns innerHTML, outerHTML or insertAdjacentHTML. Charts are <img> of same-origin SVG.
(function () {
  'use strict';

  var CHART_ORDER = ['conversations', 'topics', 'flags', 'priorities', 'pickups', 'outcomes'];
  var TREND_CHARTS = { conversations: true, pickups: true };
  var UNIT_SUFFIX = { percent: '%', minutes: ' min' };

  function $(id) {
    return document.getElementById(id);
  }

  var ui = {
    userArea: $('user-area'),
    userName: $('user-name'),
    error: $('insights-error'),
    status: $('insights-status'),
    signedOut: $('signed-out'),
    view: $('insights-view'),
    school: $('school-select'),
    weeks: $('weeks-select'),
    week: $('week-select'),
    csv: $('csv-link'),
    charts: $('charts'),
    figures: $('figures'),
  };

  var state = { data: null, generation: 0 };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.appendChild(document.createTextNode(String(text)));
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function getJson(path) {
    return fetch(path, { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' } }).then(function (response) {
      return response
        .json()
        .catch(function () {
          return null;
        })
        .then(function (data) {
          return { status: response.status, ok: response.ok, data: data };
        });
    });
  }

  function query(extra) {
    var params = new URLSearchParams({ school: ui.school.value, weeks: ui.weeks.value });
    Object.keys(extra || {}).forEach(function (key) {
      params.set(key, extra[key]);
    });
    return params.toString();
  }

  function shown(figure) {
    if (figure.value === null) return 'none';
    if (figure.value === '<5') return '<5';
    return String(figure.value) + (UNIT_SUFFIX[figure.unit] || '');
  }

  function weekLabel(week) {
    var date = new Date(week.weekStarting + 'T00:00:00Z');
    return 'Week beginning ' + date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }) + ' (' + week.week + ')';
  }

  function selectedWeek() {
    var weeks = state.data ? state.data.weeks : [];
    for (var index = 0; index < weeks.length; index += 1) if (weeks[index].week === ui.week.value) return weeks[index];
    return weeks[weeks.length - 1];
  }

  function renderCharts() {
    clear(ui.charts);
    var week = selectedWeek();
    CHART_ORDER.forEach(function (id) {
      var chart = state.data.charts[id];
      var figure = el('figure', 'chart');
      var image = el('img');
      image.src = '/api/adviser/insights/chart.svg?' + query(TREND_CHARTS[id] ? { chart: id } : { chart: id, week: week.week });
      image.alt = chart.title + ' for ' + state.data.school.name + (TREND_CHARTS[id] ? ', week by week' : ', ' + weekLabel(week)) + '. The figures are in the tables below.';
      image.width = 720;
      image.height = 300;
      figure.appendChild(image);
      figure.appendChild(el('figcaption', null, 'Evidence for ' + chart.benchmark));
      ui.charts.appendChild(figure);
    });
  }

  function renderFigures() {
    clear(ui.figures);
    var week = selectedWeek();
    CHART_ORDER.forEach(function (id) {
      var chart = state.data.charts[id];
      var table = el('table', 'figures');
      table.setAttribute('data-chart', id);
      table.appendChild(el('caption', null, chart.title + ': ' + weekLabel(week)));
      var head = el('thead');
      var headRow = el('tr');
      ['Figure', 'Value', 'Gatsby Benchmark'].forEach(function (title) {
        var th = el('th', null, title);
        th.scope = 'col';
        headRow.appendChild(th);
      });
      head.appendChild(headRow);
      table.appendChild(head);
      var body = el('tbody');
      week.figures
        .filter(function (figure) {
          return figure.chart === id;
        })
        .forEach(function (figure) {
          var row = el('tr');
          row.setAttribute('data-figure', figure.id);
          var th = el('th', null, figure.label);
          th.scope = 'row';
          row.appendChild(th);
          row.appendChild(el('td', 'figures__value', shown(figure)));
          row.appendChild(el('td', null, figure.benchmark));
          body.appendChild(row);
        });
      table.appendChild(body);
      ui.figures.appendChild(table);
    });
  }

  function render() {
    var previous = ui.week.value;
    clear(ui.week);
    state.data.weeks
      .slice()
      .reverse()
      .forEach(function (week) {
        var option = el('option', null, weekLabel(week));
        option.value = week.week;
        ui.week.appendChild(option);
      });
    var weeks = state.data.weeks.map(function (week) {
      return week.week;
    });
    if (weeks.indexOf(previous) !== -1) ui.week.value = previous;
    ui.csv.href = '/api/adviser/insights.csv?' + query();
    renderCharts();
    renderFigures();
  }

  function load() {
    var generation = (state.generation += 1);
    ui.status.textContent = 'Loading the figures…';
    ui.error.textContent = '';
    return getJson('/api/adviser/insights?' + query()).then(function (response) {
      if (generation !== state.generation) return;
      if (!response.ok || !response.data) {
        ui.status.textContent = '';
        ui.error.textContent = response.data && response.data.error ? response.data.error.message : 'The figures could not be loaded (error ' + response.status + ').';
        return;
      }
      state.data = response.data;
      render();
      ui.status.textContent = 'Showing ' + state.data.school.name + '.';
    });
  }

  ui.school.addEventListener('change', load);
  ui.weeks.addEventListener('change', load);
  ui.week.addEventListener('change', function () {
    if (!state.data) return;
    renderCharts();
    renderFigures();
  });
  $('insights-form').addEventListener('submit', function (event) {
    event.preventDefault();
  });

  getJson('/api/adviser/session')
    .then(function (response) {
      if (response.status === 401 || !response.data) {
        ui.signedOut.hidden = false;
        return;
      }
      ui.userName.textContent = response.data.username || '';
      ui.userArea.hidden = false;
      var schools = response.data.schools || [];
      if (schools.length === 0) {
        ui.error.textContent = 'Your account is not linked to any school of this service. Ask whoever runs it to add your schools.';
        return;
      }
      schools.forEach(function (school) {
        var option = el('option', null, school.name);
        option.value = school.id;
        ui.school.appendChild(option);
      });
      ui.view.hidden = false;
      return load();
    })
    .catch(function () {
      ui.error.textContent = 'The server could not be reached. Check your connection and reload the page.';
    });
})();

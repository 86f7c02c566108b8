// Simpul's console: plain JS, no build step, no library. It uses the gateway's public surface
// only (POST /graphql and GET /readyz), as a partner portal would, so it doubles as an example.
// An API key typed into the page lives in `state.key` (memory) only: never in storage, never
// in the URL; reloading the page forgets it.
(function () {
  'use strict';

  // ---------------------------------------------------------------- labels (ID and EN)
  var LABELS = {
    id: {
      tagline: 'Konsol gateway pelatihan vokasi',
      'nav.providers': 'Penyelenggara', 'nav.courses': 'Cari pelatihan',
      'nav.person': 'Riwayat peserta', 'nav.charts': 'Grafik analis',
      any: 'Semua', loading: 'Memuat…', error: 'Galat', none: 'Tidak ada.',
      'providers.title': 'Penyelenggara dan kesehatannya',
      'providers.lead': 'Setiap sumber data, statusnya, dan baris masukan yang ditolak.',
      'providers.provider': 'Penyelenggara', 'providers.kind': 'Jenis', 'providers.source': 'Sumber',
      'providers.status': 'Status', 'providers.breaker': 'Pemutus', 'providers.dataAsOf': 'Data per',
      'providers.records': 'Catatan', 'providers.rejected': 'Baris ditolak',
      'providers.warnings': 'Peringatan mutu data', 'providers.overall': 'Status gateway',
      'providers.details': 'Baris ditolak dan catatan mutu data',
      'providers.noDetail': 'Rincian (jumlah catatan, baris ditolak) hanya untuk kunci admin.',
      'providers.code': 'Kode', 'providers.where': 'Di mana', 'providers.key': 'Kunci', 'providers.reason': 'Alasan',
      'providers.notices': 'Catatan mutu data', 'providers.type': 'Jenis',
      'providers.rejectedRow': 'baris ditolak', 'providers.notice': 'catatan',
      'providers.statusHelp': 'Status dari GraphQL; di bawahnya keadaan menurut /readyz.',
      'courses.title': 'Cari angkatan pelatihan',
      'courses.lead': 'Angkatan menurut kabupaten/kota, kejuruan, tanggal, dan skema pendanaan, dengan lembaga pelatihannya.',
      'courses.region': 'Kabupaten/kota', 'courses.field': 'Kejuruan', 'courses.from': 'Mulai dari',
      'courses.to': 'Mulai sampai', 'courses.funding': 'Skema pendanaan', 'courses.search': 'Cari',
      'courses.code': 'Angkatan', 'courses.course': 'Pelatihan', 'courses.center': 'Lembaga pelatihan',
      'courses.place': 'Tempat', 'courses.dates': 'Tanggal', 'courses.status': 'Status', 'courses.capacity': 'Kuota',
      'courses.count': '{n} angkatan', 'courses.of': '{n} dari {total} angkatan (kejuruan disaring di halaman)',
      'person.title': 'Riwayat seseorang di semua penyelenggara',
      'person.lead': 'Perlu kunci API yang boleh melihatnya. Data pribadi tetap disamarkan seperti oleh API.',
      'person.key': 'Kunci API', 'person.useKey': 'Pakai kunci', 'person.forgetKey': 'Lupakan kunci',
      'person.noKey': 'Tanpa kunci (anonim).',
      'person.hasKey': 'Memakai kunci {k} (hanya di memori halaman ini; hilang saat dimuat ulang).',
      'person.lookup': 'NIK (16 digit) atau id orang (gw:Person:…)', 'person.show': 'Tampilkan',
      'person.linked': 'Orang di lebih dari satu penyelenggara',
      'person.notFound': 'Tidak ditemukan.', 'person.providers': 'Tercatat di',
      'person.records': 'Catatan peserta', 'person.enrollments': 'Pendaftaran',
      'person.conflicts': 'Isian yang berbeda antar penyelenggara',
      'person.sourceId': 'Id sumber', 'person.nik': 'NIK (disamarkan)', 'person.kpj': 'KPJ (disamarkan)',
      'person.sex': 'Jenis kelamin', 'person.birthYear': 'Tahun lahir', 'person.domicile': 'Domisili',
      'person.warnings': 'Peringatan', 'person.registered': 'Daftar', 'person.outcome': 'Hasil',
      'person.field': 'Isian', 'person.badInput': 'Masukkan NIK 16 digit atau id gw:Person:….',
      'person.pick': 'Pilih seseorang:',
      'charts.title': 'Grafik untuk analis',
      'charts.lead': 'Agregat lintas penyelenggara. Sel kecil (kurang dari 5 orang) disembunyikan dan ditampilkan sebagai disembunyikan, bukan nol.',
      'charts.query': 'Kueri', 'charts.graphiql': 'Buka di GraphiQL', 'charts.csv': 'Unduh CSV',
      'charts.withheld': 'disembunyikan', 'charts.withheldRow': 'Disembunyikan ({n} kelompok)',
      'charts.withheldAll': 'Seluruh jawaban disembunyikan: {reason}',
      'charts.withheldNote': 'Tidak digambar: {count} pendaftaran dalam {n} kelompok kecil yang disembunyikan (bukan nol).',
      'charts.total': 'Jumlah', 'charts.gap': 'Titik yang hilang: tidak ada data atau disembunyikan, bukan nol.',
      'chart.byProvider': 'Pendaftaran per penyelenggara',
      'chart.byYear': 'Pendaftaran per tahun mulai, per penyelenggara',
      'chart.laidOff': 'Korban PHK yang dilatih di Banten sejak 2023 dan kembali bekerja, per kejuruan',
      'chart.fundingWestJava': 'Skema pendanaan pelatihan di Jawa Barat',
      'chart.sixMonths': 'Enam bulan atau lebih setelah pelatihan: keadaan lulusan per kejuruan',
      footer: 'Halaman ini hanya memakai /graphql dan /readyz gateway ini.',
    },
    en: {
      tagline: 'Vocational-training gateway console',
      'nav.providers': 'Providers', 'nav.courses': 'Course finder',
      'nav.person': 'Person history', 'nav.charts': 'Analyst charts',
      any: 'Any', loading: 'Loading…', error: 'Error', none: 'None.',
      'providers.title': 'Providers and their health',
      'providers.lead': 'Each data source, its state, and the input rows it rejected.',
      'providers.provider': 'Provider', 'providers.kind': 'Kind', 'providers.source': 'Source',
      'providers.status': 'Status', 'providers.breaker': 'Breaker', 'providers.dataAsOf': 'Data as of',
      'providers.records': 'Records', 'providers.rejected': 'Rejected rows',
      'providers.warnings': 'Data-quality warnings', 'providers.overall': 'Gateway status',
      'providers.details': 'Rejected rows and data-quality notices',
      'providers.noDetail': 'The detail (record counts, rejected rows) is for admin keys only.',
      'providers.code': 'Code', 'providers.where': 'Where', 'providers.key': 'Key', 'providers.reason': 'Reason',
      'providers.notices': 'Data-quality notices', 'providers.type': 'Type',
      'providers.rejectedRow': 'rejected row', 'providers.notice': 'notice',
      'providers.statusHelp': 'Status as GraphQL reports it; below it, the state /readyz reports.',
      'courses.title': 'Find course runs',
      'courses.lead': 'Runs by regency/city, kejuruan, dates and funding scheme, with their training centre.',
      'courses.region': 'Regency/city', 'courses.field': 'Kejuruan', 'courses.from': 'Starting from',
      'courses.to': 'Starting until', 'courses.funding': 'Funding scheme', 'courses.search': 'Search',
      'courses.code': 'Run', 'courses.course': 'Course', 'courses.center': 'Training centre',
      'courses.place': 'Place', 'courses.dates': 'Dates', 'courses.status': 'Status', 'courses.capacity': 'Places',
      'courses.count': '{n} runs', 'courses.of': '{n} of {total} runs (kejuruan filtered in the page)',
      'person.title': "A person's history across providers",
      'person.lead': 'Needs an API key that may see it. Personal fields stay masked as the API masks them.',
      'person.key': 'API key', 'person.useKey': 'Use key', 'person.forgetKey': 'Forget key',
      'person.noKey': 'No key (anonymous).',
      'person.hasKey': 'Using key {k} (in this page\'s memory only; a reload forgets it).',
      'person.lookup': 'NIK (16 digits) or person id (gw:Person:…)', 'person.show': 'Show',
      'person.linked': 'People at more than one provider',
      'person.notFound': 'Not found.', 'person.providers': 'Recorded at',
      'person.records': 'Participant records', 'person.enrollments': 'Enrolments',
      'person.conflicts': 'Fields that differ between providers',
      'person.sourceId': 'Source id', 'person.nik': 'NIK (masked)', 'person.kpj': 'KPJ (masked)',
      'person.sex': 'Sex', 'person.birthYear': 'Birth year', 'person.domicile': 'Domicile',
      'person.warnings': 'Warnings', 'person.registered': 'Registered', 'person.outcome': 'Outcome',
      'person.field': 'Field', 'person.badInput': 'Enter a 16-digit NIK or a gw:Person:… id.',
      'person.pick': 'Pick a person:',
      'charts.title': 'Charts for analysts',
      'charts.lead': 'Aggregates across providers. Small cells (under 5 people) are withheld and shown as withheld, never as zero.',
      'charts.query': 'Query', 'charts.graphiql': 'Open in GraphiQL', 'charts.csv': 'Download CSV',
      'charts.withheld': 'withheld', 'charts.withheldRow': 'Withheld ({n} groups)',
      'charts.withheldAll': 'The whole answer is withheld: {reason}',
      'charts.withheldNote': 'Not drawn: {count} enrolments in {n} small groups, withheld (not zero).',
      'charts.total': 'Total', 'charts.gap': 'A missing point means no data or withheld, never zero.',
      'chart.byProvider': 'Enrolments per provider',
      'chart.byYear': 'Enrolments per year of start, per provider',
      'chart.laidOff': 'Laid-off workers trained in Banten since 2023 and working again, by kejuruan',
      'chart.fundingWestJava': 'Funding schemes of training in West Java',
      'chart.sixMonths': 'Six months or more after training: what completers do, by kejuruan',
      footer: 'This page uses only this gateway\'s /graphql and /readyz.',
    },
  };

  var state = { lang: 'id', key: null, loaded: {}, charts: [] };

  function t(name, values) {
    var text = (LABELS[state.lang] && LABELS[state.lang][name]) || LABELS.en[name] || name;
    Object.keys(values || {}).forEach(function (k) {
      text = text.split('{' + k + '}').join(String(values[k]));
    });
    return text;
  }

  function applyLabels() {
    document.documentElement.lang = state.lang;
    document.querySelectorAll('[data-i18n]').forEach(function (el) {
      el.textContent = t(el.getAttribute('data-i18n'));
    });
    document.querySelectorAll('[data-lang]').forEach(function (b) {
      b.setAttribute('aria-pressed', String(b.getAttribute('data-lang') === state.lang));
    });
    showKeyState();
  }

  // ---------------------------------------------------------------- DOM helpers
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else if (k === 'i18n') { node.setAttribute('data-i18n', attrs[k]); node.textContent = t(attrs[k]); }
      else if (attrs[k] !== null && attrs[k] !== undefined) node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return node;
  }

  var SVG = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs, children) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else if (attrs[k] !== null && attrs[k] !== undefined) node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  function table(headers, rows, className) {
    return el('table', { class: className || 'grid' }, [
      el('thead', {}, [el('tr', {}, headers.map(function (h) { return el('th', { i18n: h }); }))]),
      el('tbody', {}, rows.map(function (cells) {
        return el('tr', {}, cells.map(function (c) {
          return el('td', {}, [c === null || c === undefined ? '—' : (typeof c === 'object' ? c : String(c))]);
        }));
      })),
    ]);
  }

  function setStatus(id, text, kind) {
    var node = document.getElementById(id);
    node.textContent = text || '';
    node.className = 'status-line' + (kind ? ' ' + kind : '');
  }

  function replace(id, child) {
    var node = document.getElementById(id);
    node.textContent = '';
    if (child) node.appendChild(child);
  }

  // ---------------------------------------------------------------- the gateway
  function authHeaders() {
    return state.key ? { Authorization: 'Bearer ' + state.key } : {};
  }

  /** POST /graphql; resolves to { data, errors } (errors as messages with their code). */
  function graphql(query, variables) {
    var headers = Object.assign({ 'Content-Type': 'application/json', Accept: 'application/json' }, authHeaders());
    return fetch('/graphql', {
      method: 'POST', headers: headers, credentials: 'omit',
      body: JSON.stringify({ query: query, variables: variables || null }),
    }).then(function (response) {
      return response.json().catch(function () { return { errors: [{ message: 'HTTP ' + response.status }] }; });
    }).then(function (body) {
      return { data: body.data || null, errors: (body.errors || []).map(errorText) };
    });
  }

  function errorText(e) {
    var code = e.extensions && e.extensions.code;
    return (code ? code + ': ' : '') + e.message;
  }

  function showErrors(id, errors) {
    if (errors.length) setStatus(id, t('error') + ' — ' + errors.join(' · '), 'error');
  }

  // ---------------------------------------------------------------- pages
  var PAGES = ['providers', 'courses', 'person', 'charts'];
  function route() {
    var page = window.location.hash.replace('#', '') || 'providers';
    if (PAGES.indexOf(page) < 0) page = 'providers';
    document.querySelectorAll('.page').forEach(function (s) {
      s.hidden = s.getAttribute('data-page') !== page;
    });
    document.querySelectorAll('[data-page-link]').forEach(function (a) {
      a.classList.toggle('active', a.getAttribute('data-page-link') === page);
    });
    if (!state.loaded[page]) {
      state.loaded[page] = true;
      ({ providers: loadProviders, courses: loadCourseFilters, person: function () {}, charts: loadCharts })[page]();
    }
  }

  // ---------------------------------------------------------------- providers and health
  var PROVIDERS_QUERY = 'query ConsoleProviders {\n  providers { key name kind sourceKind status dataAsOf adapterVersion }\n}';

  function loadProviders() {
    setStatus('providers-status', t('loading'));
    var ready = fetch('/readyz', { headers: authHeaders(), credentials: 'omit' })
      .then(function (r) { return r.json(); })
      .catch(function () { return { status: 'unreachable', providers: [] }; });
    Promise.all([graphql(PROVIDERS_QUERY), ready]).then(function (answers) {
      var gql = answers[0], health = answers[1];
      setStatus('providers-status', t('providers.overall') + ': ' + health.status, 'state-' + health.status);
      showErrors('providers-status', gql.errors);
      var reports = {};
      (health.providers || []).forEach(function (r) { reports[r.key] = r; });
      var providers = (gql.data && gql.data.providers) || [];
      var detailed = (health.providers || []).some(function (r) { return 'rejectedRecords' in r; });
      var rows = providers.map(function (p) {
        var r = reports[p.key] || {};
        var records = r.recordCounts ? Object.keys(r.recordCounts).reduce(function (s, k) { return s + r.recordCounts[k]; }, 0) : null;
        return [
          el('span', {}, [el('strong', { text: p.name }), ' ', el('code', { text: p.key })]),
          p.kind, p.sourceKind,
          el('span', {}, [
            el('span', { class: 'badge status-' + p.status.toLowerCase(), 'data-provider-status': p.key, text: p.status }),
            el('small', { 'data-provider-state': p.key, text: r.state || '?' }),
          ]),
          r.breaker || null, p.dataAsOf ? p.dataAsOf.slice(0, 10) : null, records,
          detailed ? el('span', { 'data-rejected': p.key, class: r.rejectedRecords ? 'warn' : '', text: String(r.rejectedRecords || 0) }) : null,
          detailed ? el('span', { 'data-warnings': p.key, class: r.warnings ? 'warn' : '', text: String(r.warnings || 0) }) : null,
        ];
      });
      var out = el('div', {}, [table(['providers.provider', 'providers.kind', 'providers.source', 'providers.status',
        'providers.breaker', 'providers.dataAsOf', 'providers.records', 'providers.rejected', 'providers.warnings'], rows)]);
      out.appendChild(el('p', { class: 'note', i18n: 'providers.statusHelp' }));
      if (!detailed) out.appendChild(el('p', { class: 'note', i18n: 'providers.noDetail' }));
      providers.forEach(function (p) {
        var r = reports[p.key] || {};
        var issues = (r.rejected || []).map(function (i) { return [i, 'providers.rejectedRow']; })
          .concat((r.notices || []).map(function (i) { return [i, 'providers.notice']; }));
        if (!issues.length) return;
        out.appendChild(el('details', { class: 'issues', 'data-issues': p.key }, [
          el('summary', {}, [p.name + ' — ', el('span', { i18n: 'providers.details' }), ' (' + issues.length + ')']),
          table(['providers.type', 'providers.code', 'providers.where', 'providers.key', 'providers.reason'], issues.map(function (pair) {
            var i = pair[0];
            return [el('span', { class: pair[1] === 'providers.rejectedRow' ? 'warn' : '', i18n: pair[1] }),
              el('code', { text: i.code }), i.source + (i.line ? ':' + i.line : ''), i.key, i.reason];
          })),
        ]));
      });
      replace('providers-out', out);
    });
  }

  // ---------------------------------------------------------------- course finder
  var FILTERS_QUERY = 'query ConsoleFundingSchemes {\n  fundingSchemes { code name }\n}';
  var RUNS_QUERY = 'query ConsoleCourseRuns($where: CourseRunBoolExp, $after: String) {\n' +
    '  courseRuns(first: 100, after: $after, where: $where, order_by: [{ startDate: desc }]) {\n' +
    '    totalCount\n    pageInfo { hasNextPage endCursor }\n' +
    '    nodes {\n      code startDate endDate status capacity provider { key }\n' +
    '      fundingSchemes { code name }\n      location { name regency { code name } }\n' +
    '      course { name field { name } }\n' +
    '      trainingCenter { name address { region { regency { name } } } }\n    }\n  }\n}';

  function loadCourseFilters() {
    graphql(FILTERS_QUERY).then(function (answer) {
      showErrors('courses-status', answer.errors);
      var d = answer.data || {};
      var funding = document.getElementById('course-funding');
      (d.fundingSchemes || []).forEach(function (f) {
        funding.appendChild(el('option', { value: f.code, text: f.name + ' (' + f.code + ')' }));
      });
      // The first search (no filter) fetches every run: its places and kejuruan fill the lists.
      searchCourses();
    });
  }

  /** Adds the regencies where `runs` take place to the region list (kept sorted by code). */
  function fillRegions(runs) {
    var select = document.getElementById('course-region');
    var known = {}, regions = {};
    select.querySelectorAll('option').forEach(function (o) { if (o.value) regions[o.value] = o.textContent; known[o.value] = true; });
    var added = false;
    runs.forEach(function (r) {
      var g = r.location && r.location.regency;
      if (g && !known[g.code]) { regions[g.code] = g.name + ' (' + g.code + ')'; known[g.code] = true; added = true; }
    });
    if (!added) return;
    var chosen = select.value;
    select.querySelectorAll('option[value]:not([value=""])').forEach(function (o) { o.remove(); });
    Object.keys(regions).sort().forEach(function (code) {
      select.appendChild(el('option', { value: code, text: regions[code] }));
    });
    select.value = chosen;
  }

  function fillFields(names) {
    var select = document.getElementById('course-field');
    var chosen = select.value;
    var known = {};
    select.querySelectorAll('option').forEach(function (o) { known[o.value] = true; });
    names.sort().forEach(function (n) {
      if (!known[n]) select.appendChild(el('option', { value: n, text: n }));
    });
    select.value = chosen;
  }

  function courseWhere(form) {
    var where = {};
    if (form.region) where.regionCode = { _prefix: form.region };
    if (form.funding) where.fundingScheme = { _eq: form.funding };
    if (form.from || form.to) {
      where.startDate = {};
      if (form.from) where.startDate._gte = form.from;
      if (form.to) where.startDate._lte = form.to;
    }
    return where;
  }

  /** Every page of runs matching `where` (at most 10 pages of 100). */
  function allRuns(where) {
    var runs = [], total = 0, errors = [];
    function page(after, n) {
      return graphql(RUNS_QUERY, { where: where, after: after }).then(function (answer) {
        errors = errors.concat(answer.errors);
        var c = answer.data && answer.data.courseRuns;
        if (!c) return;
        total = c.totalCount;
        runs = runs.concat(c.nodes);
        if (c.pageInfo.hasNextPage && n < 10) return page(c.pageInfo.endCursor, n + 1);
      });
    }
    return page(null, 1).then(function () { return { runs: runs, total: total, errors: errors }; });
  }

  function searchCourses() {
    var form = {
      region: document.getElementById('course-region').value,
      field: document.getElementById('course-field').value,
      from: document.getElementById('course-from').value,
      to: document.getElementById('course-to').value,
      funding: document.getElementById('course-funding').value,
    };
    setStatus('courses-status', t('loading'));
    allRuns(courseWhere(form)).then(function (answer) {
      fillRegions(answer.runs);
      fillFields(answer.runs.filter(function (r) { return r.course && r.course.field; })
        .map(function (r) { return r.course.field.name; }));
      // The schema filters runs by region, dates and funding; kejuruan is the course's field,
      // which runs cannot be filtered by, so it is applied to the runs fetched.
      var runs = form.field ? answer.runs.filter(function (r) {
        return r.course && r.course.field && r.course.field.name === form.field;
      }) : answer.runs;
      setStatus('courses-status', form.field
        ? t('courses.of', { n: runs.length, total: answer.total })
        : t('courses.count', { n: answer.total }));
      showErrors('courses-status', answer.errors);
      var rows = runs.map(function (r) {
        var centre = r.trainingCenter;
        var centreRegion = centre && centre.address && centre.address.region && centre.address.region.regency;
        return [
          el('code', { text: r.code }),
          el('span', {}, [r.course ? r.course.name : '—', r.course && r.course.field ? el('small', { text: r.course.field.name }) : null]),
          el('span', { class: 'centre' }, [centre ? centre.name : '—', centreRegion ? el('small', { text: centreRegion.name }) : null]),
          r.location ? (r.location.regency ? r.location.regency.name : r.location.name) : null,
          (r.startDate || '?') + ' – ' + (r.endDate || '?'),
          r.fundingSchemes.map(function (f) { return f.code; }).join(', ') || null,
          r.status, r.capacity,
        ];
      });
      var out = table(['courses.code', 'courses.course', 'courses.center', 'courses.place', 'courses.dates',
        'courses.funding', 'courses.status', 'courses.capacity'], rows, 'grid runs');
      out.id = 'course-results';
      replace('courses-out', out);
    });
  }

  // ---------------------------------------------------------------- a person's history
  var PERSON_FIELDS = '{\n    id providers\n' +
    '    participantRecords { provider { key name } sourceId nikMasked kpjMasked sex birthYear domicileRegency { name } warnings { code field } }\n' +
    '    enrollments(first: 50) { nodes { provider { key } registeredOn status courseRun { code startDate course { name } trainingCenter { name } } outcome { status observedAt } } }\n' +
    '    conflicts { field providers }\n  }';
  var PERSON_BY_ID = 'query ConsolePerson($id: ID!) {\n  person(id: $id) ' + PERSON_FIELDS + '\n}';
  var PERSON_BY_NIK = 'query ConsolePersonByNik($nik: String!) {\n  personByNik(nik: $nik) ' + PERSON_FIELDS + '\n}';
  var LINKED_QUERY = 'query ConsoleLinkedPeople {\n  participants(first: 100) { nodes { provider { key } sourceId person { id providers } } }\n}';

  function showKeyState() {
    var node = document.getElementById('key-state');
    if (!node) return;
    if (state.key) {
      node.removeAttribute('data-i18n');
      node.textContent = t('person.hasKey', { k: state.key.slice(0, 8) + '…' });
    } else {
      node.setAttribute('data-i18n', 'person.noKey');
      node.textContent = t('person.noKey');
    }
  }

  function lookUpPerson(value) {
    value = value.trim();
    var digits = value.replace(/[\s.-]/g, '');
    var query, variables, field;
    if (/^\d{16}$/.test(digits)) {
      query = PERSON_BY_NIK; variables = { nik: digits }; field = 'personByNik';
    } else if (value) {
      query = PERSON_BY_ID; variables = { id: value }; field = 'person';
    } else {
      setStatus('person-status', t('person.badInput'), 'error');
      return;
    }
    setStatus('person-status', t('loading'));
    graphql(query, variables).then(function (answer) {
      var person = answer.data && answer.data[field];
      setStatus('person-status', person ? '' : t('person.notFound'));
      showErrors('person-status', answer.errors);
      replace('person-out', person ? renderPerson(person) : null);
    });
  }

  function renderPerson(p) {
    var out = el('div', { id: 'person-result', 'data-person': p.id }, [
      el('p', {}, [el('strong', { i18n: 'person.providers' }), ': ', el('span', { class: 'providers', text: p.providers.join(', ') })]),
      el('h2', { i18n: 'person.records' }),
      table(['providers.provider', 'person.sourceId', 'person.nik', 'person.kpj', 'person.sex', 'person.birthYear', 'person.domicile', 'person.warnings'],
        (p.participantRecords || []).map(function (r) {
          return [r.provider.key, el('code', { text: r.sourceId }), el('code', { class: 'masked', text: r.nikMasked || '—' }),
            r.kpjMasked ? el('code', { class: 'masked', text: r.kpjMasked }) : null, r.sex, r.birthYear,
            r.domicileRegency ? r.domicileRegency.name : null,
            r.warnings.map(function (w) { return w.code; }).join(', ') || null];
        }), 'grid records'),
      el('h2', { i18n: 'person.enrollments' }),
      table(['providers.provider', 'person.registered', 'courses.status', 'courses.course', 'courses.code', 'courses.center', 'person.outcome'],
        ((p.enrollments && p.enrollments.nodes) || []).map(function (e) {
          var run = e.courseRun || {};
          return [e.provider.key, e.registeredOn, e.status, run.course ? run.course.name : null, run.code,
            run.trainingCenter ? run.trainingCenter.name : null,
            e.outcome ? e.outcome.status + (e.outcome.observedAt ? ' (' + e.outcome.observedAt.slice(0, 10) + ')' : '') : null];
        }), 'grid enrollments'),
    ]);
    if (p.conflicts && p.conflicts.length) {
      out.appendChild(el('h2', { i18n: 'person.conflicts' }));
      out.appendChild(table(['person.field', 'person.providers'], p.conflicts.map(function (c) {
        return [c.field, c.providers.join(', ')];
      })));
    }
    return out;
  }

  function listLinkedPeople() {
    setStatus('person-status', t('loading'));
    graphql(LINKED_QUERY).then(function (answer) {
      setStatus('person-status', '');
      showErrors('person-status', answer.errors);
      var seen = {}, people = [];
      ((answer.data && answer.data.participants.nodes) || []).forEach(function (n) {
        if (n.person && n.person.providers.length > 1 && !seen[n.person.id]) {
          seen[n.person.id] = true;
          people.push(n.person);
        }
      });
      var list = el('ul', { class: 'people' }, people.slice(0, 20).map(function (person) {
        var button = el('button', { type: 'button', class: 'link', 'data-person-id': person.id, text: person.id });
        button.addEventListener('click', function () {
          document.getElementById('person-input').value = person.id;
          lookUpPerson(person.id);
        });
        return el('li', {}, [button, ' ', el('small', { text: person.providers.join(', ') })]);
      }));
      replace('person-out', el('div', {}, [el('p', { i18n: 'person.pick' }), people.length ? list : el('p', { i18n: 'none' })]));
    });
  }

  // ---------------------------------------------------------------- analyst charts
  // Each chart: its query (the analyst examples in tests/analyst/ where one fits), how to read
  // its groups, and how to draw them. A withheld row (small cells folded together, no key) is a
  // hatched bar labelled withheld, with its count only when the gateway gives one.
  var CHARTS = [
    {
      id: 'by-provider', title: 'chart.byProvider', kind: 'bar', keys: ['provider'],
      query: '# Enrolments per provider\nquery EnrolmentsPerProvider {\n  enrollments_aggregate(group_by: [provider]) {\n    groups { key { provider } aggregate { count } suppressed }\n    aggregate { count }\n    suppressedGroups\n    withheldReason\n  }\n}',
    },
    {
      id: 'by-year', title: 'chart.byYear', kind: 'line', keys: ['provider', 'startYear'], series: 'provider', x: 'startYear',
      query: '# Enrolments per year of start, per provider\nquery EnrolmentsPerYearAndProvider {\n  enrollments_aggregate(group_by: [provider, startYear]) {\n    groups { key { provider startYear } aggregate { count } suppressed }\n    aggregate { count }\n    suppressedGroups\n    withheldReason\n  }\n}',
    },
    {
      id: 'laid-off', title: 'chart.laidOff', kind: 'bar', keys: ['field', 'provider'],
      query: '# tests/analyst/1-laid-off-working-again.graphql\nquery LaidOffWorkingAgain {\n  enrollments_aggregate(\n    where: {\n      employmentStatusAtRegistration: { _eq: "LAID_OFF" }\n      regionCode: { _prefix: "36" }\n      startDate: { _gte: "2023-01-01" }\n      outcomeStatus: { _in: ["EMPLOYED", "SELF_EMPLOYED"] }\n    }\n    group_by: [provider, field]\n  ) {\n    groups { key { provider field } aggregate { count } suppressed }\n    aggregate { count }\n    suppressedGroups\n    withheldReason\n  }\n}',
    },
    {
      id: 'funding-west-java', title: 'chart.fundingWestJava', kind: 'bar', keys: ['fundingScheme'],
      query: '# tests/analyst/3-funding-west-java.graphql\nquery FundingWestJava {\n  enrollments_aggregate(where: { regionCode: { _prefix: "32" } }, group_by: [fundingScheme]) {\n    groups { key { fundingScheme } aggregate { count } suppressed }\n    aggregate { count }\n    suppressedGroups\n    withheldReason\n  }\n}',
    },
    {
      id: 'six-months', title: 'chart.sixMonths', kind: 'bar', keys: ['field', 'outcomeStatus'],
      query: '# tests/analyst/8-six-months-after-training-by-kejuruan.graphql\nquery SixMonthsAfterTraining {\n  enrollments_aggregate(\n    where: { status: { _eq: "COMPLETED" }, monthsToOutcome: { _gte: 6 } }\n    group_by: [field, outcomeStatus]\n  ) {\n    groups { key { field outcomeStatus } aggregate { count } suppressed }\n    aggregate { count }\n    suppressedGroups\n    withheldReason\n  }\n}',
    },
  ];

  function loadCharts() {
    var out = document.getElementById('charts-out');
    out.textContent = '';
    CHARTS.forEach(function (chart) {
      var body = el('div', { class: 'chart-body', text: t('loading') });
      var queryBox = el('pre', { class: 'query', hidden: 'hidden', text: chart.query });
      var showQuery = el('button', { type: 'button', class: 'show-query', 'aria-expanded': 'false', i18n: 'charts.query' });
      showQuery.addEventListener('click', function () {
        queryBox.hidden = !queryBox.hidden;
        showQuery.setAttribute('aria-expanded', String(!queryBox.hidden));
      });
      var csv = el('button', { type: 'button', class: 'csv', i18n: 'charts.csv', disabled: 'disabled' });
      var card = el('article', { class: 'chart', id: 'chart-' + chart.id, 'data-chart': chart.id }, [
        el('h2', { i18n: chart.title }),
        body,
        el('div', { class: 'chart-tools' }, [
          showQuery,
          el('a', { href: '/graphql#query=' + encodeURIComponent(chart.query), class: 'open-graphiql button', target: '_blank', rel: 'noopener', i18n: 'charts.graphiql' }),
          csv,
        ]),
        queryBox,
      ]);
      out.appendChild(card);
      graphql(chart.query).then(function (answer) {
        var agg = answer.data && answer.data.enrollments_aggregate;
        body.textContent = '';
        if (!agg) {
          body.appendChild(el('p', { class: 'error', text: t('error') + ' — ' + answer.errors.join(' · ') }));
          return;
        }
        var rows = chartRows(chart, agg);
        csv.removeAttribute('disabled');
        csv.addEventListener('click', function () { downloadCsv(chart, rows, agg); });
        if (agg.withheldReason) {
          body.appendChild(el('p', { class: 'withheld-all', 'data-withheld': 'all', text: t('charts.withheldAll', { reason: agg.withheldReason }) }));
          return;
        }
        body.appendChild(chart.kind === 'line' ? lineChart(chart, rows, agg) : barChart(chart, rows, agg));
        body.appendChild(el('p', { class: 'total' }, [t('charts.total') + ': ',
          el('strong', { 'data-total': chart.id, text: agg.aggregate.count === null ? t('charts.withheld') : String(agg.aggregate.count) })]));
      });
    });
  }

  /** The groups as rows: { label, keys, count (null when withheld), suppressed }. */
  function chartRows(chart, agg) {
    return agg.groups.map(function (g) {
      var keys = chart.keys.map(function (k) { return g.key[k]; });
      return {
        keys: keys,
        label: g.suppressed ? t('charts.withheldRow', { n: agg.suppressedGroups })
          : keys.map(function (k) { return k === null ? '—' : String(k); }).join(' · '),
        count: g.aggregate.count,
        suppressed: g.suppressed,
      };
    });
  }

  function hatch() {
    return svg('defs', {}, [svg('pattern', { id: 'withheld-hatch', width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' }, [
      svg('rect', { width: 6, height: 6, class: 'hatch-bg' }),
      svg('line', { x1: 0, y1: 0, x2: 0, y2: 6, class: 'hatch-line' }),
    ])]);
  }

  /** Horizontal bars: label, bar, value; a withheld row hatched, with "withheld" for no count. */
  function barChart(chart, rows) {
    var labelWidth = 230, barWidth = 300, rowHeight = 24, width = labelWidth + barWidth + 100;
    var max = Math.max.apply(null, rows.map(function (r) { return r.count || 0; }).concat([1]));
    var height = rows.length * rowHeight + 8;
    var root = svg('svg', { class: 'bars', viewBox: '0 0 ' + width + ' ' + height, 'data-width': width, role: 'img' }, [hatch()]);
    rows.forEach(function (r, i) {
      var y = i * rowHeight + 4;
      var known = r.count !== null && r.count !== undefined;
      var w = known ? Math.max(2, Math.round(barWidth * r.count / max)) : barWidth * 0.15;
      var g = svg('g', {
        class: 'bar' + (r.suppressed ? ' withheld' : ''), 'data-label': r.label,
        'data-value': known ? String(r.count) : 'withheld', 'data-suppressed': String(r.suppressed),
      }, [
        svg('title', { text: r.label + ': ' + (known ? r.count : t('charts.withheld')) }),
        svg('text', { x: labelWidth - 8, y: y + 16, 'text-anchor': 'end', class: 'label', text: truncate(r.label, 34) }),
        svg('rect', { x: labelWidth, y: y + 2, width: w, height: rowHeight - 6, class: r.suppressed ? 'withheld' : 'fill', fill: r.suppressed ? 'url(#withheld-hatch)' : null }),
        svg('text', { x: labelWidth + w + 6, y: y + 16, class: 'value', text: known ? String(r.count) : t('charts.withheld') }),
      ]);
      root.appendChild(g);
    });
    return root;
  }

  /** A round top for an axis of four steps at or above n: 4 × (1, 2, 3, 4, 5, 6 or 8 × 10^k). */
  function niceCeiling(n) {
    var quarter = Math.max(1, n / 4);
    var power = Math.pow(10, Math.floor(Math.log10(quarter)));
    var steps = [1, 2, 3, 4, 5, 6, 8, 10];
    for (var i = 0; i < steps.length; i++) {
      if (steps[i] * power >= quarter) return 4 * steps[i] * power;
    }
    return 40 * power;
  }

  function truncate(s, n) { return s.length > n ? s.slice(0, n - 1) + '…' : s; }

  var COLOURS = ['#1f6f8b', '#d9822b', '#3c9d5d', '#8e44ad', '#c0392b', '#7f8c8d'];

  /** One line per series over x; a missing point breaks the line (no data or withheld). */
  function lineChart(chart, rows, agg) {
    var visible = rows.filter(function (r) { return !r.suppressed && r.count !== null; });
    var seriesIndex = chart.keys.indexOf(chart.series), xIndex = chart.keys.indexOf(chart.x);
    var xs = [], series = [];
    visible.forEach(function (r) {
      if (xs.indexOf(r.keys[xIndex]) < 0) xs.push(r.keys[xIndex]);
      if (series.indexOf(r.keys[seriesIndex]) < 0) series.push(r.keys[seriesIndex]);
    });
    xs.sort(function (a, b) { return a - b; });
    var full = [];
    for (var x = xs[0]; xs.length && x <= xs[xs.length - 1]; x++) full.push(x);
    var max = niceCeiling(Math.max.apply(null, visible.map(function (r) { return r.count; }).concat([1])));
    var left = 40, top = 12, plotW = 400, plotH = 200, width = left + plotW + 120, height = top + plotH + 30;
    var sx = function (v) { return left + (full.length > 1 ? (full.indexOf(v) / (full.length - 1)) * plotW : plotW / 2); };
    var sy = function (v) { return top + plotH - (v / max) * plotH; };
    var root = svg('svg', { class: 'lines', viewBox: '0 0 ' + width + ' ' + height, role: 'img' });
    [0, 0.25, 0.5, 0.75, 1].forEach(function (f) {
      var v = Math.round(max * f);
      root.appendChild(svg('line', { x1: left, x2: left + plotW, y1: sy(v), y2: sy(v), class: 'grid-line' }));
      root.appendChild(svg('text', { x: left - 6, y: sy(v) + 4, 'text-anchor': 'end', class: 'axis', text: String(v) }));
    });
    full.forEach(function (v) {
      root.appendChild(svg('text', { x: sx(v), y: top + plotH + 18, 'text-anchor': 'middle', class: 'axis', text: String(v) }));
    });
    series.forEach(function (s, i) {
      var colour = COLOURS[i % COLOURS.length];
      var points = {};
      visible.forEach(function (r) { if (r.keys[seriesIndex] === s) points[r.keys[xIndex]] = r.count; });
      var path = '', pen = false;
      full.forEach(function (x) {
        if (points[x] === undefined) { pen = false; return; }
        path += (pen ? 'L' : 'M') + sx(x) + ' ' + sy(points[x]) + ' ';
        pen = true;
      });
      var g = svg('g', { class: 'series', 'data-series': String(s) }, [svg('path', { d: path.trim(), stroke: colour, class: 'line' })]);
      full.forEach(function (x) {
        if (points[x] === undefined) return;
        g.appendChild(svg('circle', { cx: sx(x), cy: sy(points[x]), r: 3.5, fill: colour, class: 'point', 'data-x': String(x), 'data-value': String(points[x]) }, [
          svg('title', { text: s + ' ' + x + ': ' + points[x] }),
        ]));
      });
      root.appendChild(g);
      root.appendChild(svg('rect', { x: left + plotW + 20, y: top + i * 20, width: 12, height: 12, fill: colour }));
      root.appendChild(svg('text', { x: left + plotW + 38, y: top + i * 20 + 11, class: 'legend', text: String(s) }));
    });
    var wrap = el('div', {}, [root, el('p', { class: 'note', text: t('charts.gap') })]);
    var withheld = rows.filter(function (r) { return r.suppressed; })[0];
    if (withheld) {
      wrap.appendChild(el('p', { class: 'withheld-note', 'data-withheld': withheld.count === null ? 'withheld' : String(withheld.count) },
        [t('charts.withheldNote', { count: withheld.count === null ? t('charts.withheld') : withheld.count, n: agg.suppressedGroups })]));
    }
    return wrap;
  }

  function csvCell(v) {
    var s = v === null || v === undefined ? '' : String(v);
    return /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function downloadCsv(chart, rows, agg) {
    var lines = [chart.keys.concat(['count', 'suppressed']).join(',')];
    if (agg.withheldReason) lines.push(chart.keys.map(function () { return ''; }).concat(['withheld', 'true']).join(','));
    rows.forEach(function (r) {
      lines.push(r.keys.map(csvCell).concat([r.count === null ? 'withheld' : String(r.count), String(r.suppressed)]).join(','));
    });
    var blob = new Blob([lines.join('\n') + '\n'], { type: 'text/csv;charset=utf-8' });
    var a = el('a', { href: URL.createObjectURL(blob), download: 'simpul-' + chart.id + '.csv' });
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  // ---------------------------------------------------------------- start
  document.querySelectorAll('[data-lang]').forEach(function (b) {
    b.addEventListener('click', function () {
      state.lang = b.getAttribute('data-lang');
      applyLabels();
      // Labels drawn from data (charts) are redrawn in the new language.
      if (state.loaded.charts) loadCharts();
    });
  });
  document.getElementById('course-form').addEventListener('submit', function (e) {
    e.preventDefault();
    searchCourses();
  });
  document.getElementById('key-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var input = document.getElementById('api-key');
    state.key = input.value.trim() || null;
    input.value = '';
    showKeyState();
  });
  document.getElementById('forget-key').addEventListener('click', function () {
    state.key = null;
    document.getElementById('api-key').value = '';
    showKeyState();
    replace('person-out', null);
  });
  document.getElementById('person-form').addEventListener('submit', function (e) {
    e.preventDefault();
    lookUpPerson(document.getElementById('person-input').value);
  });
  document.getElementById('linked-people').addEventListener('click', listLinkedPeople);
  if (/^en\b/.test(navigator.language || '') && !/^id\b/.test(navigator.language)) state.lang = 'en';
  applyLabels();
  window.addEventListener('hashchange', route);
  route();
})();

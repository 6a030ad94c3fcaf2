// The search page: Pagefind's JavaScript API (/pagefind/pagefind.js, written by radpress with the
// index) behind accessible markup from templates/search.html. Runs entirely in the browser; the
// index loads in pieces as queries need them. Reads ?q= (and ?kind=, ?modality=, ?region=,
// ?tag=) from the address, and keeps the address in step so a search can be bookmarked or shared.
(function () {
  'use strict';

  var FILTERS = [
    { key: 'kind', label: 'Kind' },
    { key: 'modality', label: 'Modality' },
    { key: 'region', label: 'Body region' },
    { key: 'tag', label: 'Tag' },
  ];
  var PAGE_SIZE = 10;
  var DEBOUNCE_MS = 200;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      if (c) node.appendChild(c);
    });
    return node;
  }

  // Pagefind's excerpt is HTML with <mark> around matched words. Keep only its text and the
  // marks, parsed in an inert template, so nothing else from the index reaches the page.
  function excerptNode(html) {
    var template = document.createElement('template');
    template.innerHTML = html || '';
    var out = el('p', { class: 'search-result__excerpt' });
    (function copy(from) {
      from.childNodes.forEach(function (n) {
        if (n.nodeType === 3) out.appendChild(document.createTextNode(n.textContent));
        else if (n.nodeName === 'MARK') out.appendChild(el('mark', { text: n.textContent }));
        else copy(n);
      });
    })(template.content);
    return out;
  }

  function slug(text) {
    return String(text).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  }

  function kindClass(kind) {
    var k = String(kind || '').toLowerCase();
    if (k.indexOf('case') >= 0) return 'case';
    if (k.indexOf('education') >= 0) return 'education';
    if (k.indexOf('profile') >= 0 || k.indexOf('person') >= 0) return 'person';
    if (k.indexOf('article') >= 0 || k.indexOf('post') >= 0) return 'post';
    return 'page';
  }

  function resultNode(data, headingId) {
    var meta = data.meta || {};
    var badges = el('p', { class: 'search-result__badges' });
    badges.appendChild(el('span', { class: 'badge badge--' + kindClass(meta.kind), text: meta.kind || 'Page' }));
    ['modality', 'region'].forEach(function (key) {
      if (!meta[key]) return;
      meta[key].split(', ').forEach(function (value) {
        var label = (key === 'modality' ? 'Modality: ' : 'Body region: ');
        var badge = el('span', { class: 'chip search-result__chip search-result__chip--' + key });
        badge.appendChild(el('span', { class: 'visually-hidden', text: label }));
        badge.appendChild(document.createTextNode(value));
        badges.appendChild(badge);
      });
    });
    var link = el('a', { class: 'search-result__link', href: data.url, id: headingId }, [
      document.createTextNode(meta.title || data.url),
    ]);
    return el('li', { class: 'search-result' }, [
      el('article', { 'aria-labelledby': headingId }, [
        el('h2', { class: 'search-result__title' }, [link]),
        badges,
        excerptNode(data.excerpt),
      ]),
    ]);
  }

  function start() {
    var root = document.getElementById('search');
    if (!root) return;
    var form = root.querySelector('form');
    var input = document.getElementById('search-q');
    var status = document.getElementById('search-status');
    var list = document.getElementById('search-results');
    var more = document.getElementById('search-more');
    var filterBox = document.getElementById('search-filters');
    var bundle = root.getAttribute('data-bundle') || '/pagefind/';
    var params = new URLSearchParams(window.location.search);
    var selects = {};
    var pagefind = null;
    var pending = [];
    var shown = 0;
    var generation = 0;
    var timer = null;

    input.value = params.get('q') || '';

    function chosenFilters() {
      var filters = {};
      Object.keys(selects).forEach(function (key) {
        if (selects[key].value) filters[key] = selects[key].value;
      });
      return filters;
    }

    function syncAddress() {
      var next = new URLSearchParams();
      if (input.value.trim()) next.set('q', input.value.trim());
      var filters = chosenFilters();
      Object.keys(filters).forEach(function (k) { next.set(k, filters[k]); });
      var query = next.toString();
      history.replaceState(null, '', window.location.pathname + (query ? '?' + query : ''));
    }

    function describe(count, query, filters) {
      var what = count === 0 ? 'No results' : count === 1 ? '1 result' : count + ' results';
      var parts = [];
      if (query) parts.push('for “' + query + '”');
      var names = Object.keys(filters).map(function (k) { return filters[k]; });
      if (names.length) parts.push('filtered by ' + names.join(', '));
      return what + (parts.length ? ' ' + parts.join(' ') : '') + '.';
    }

    async function showMore(gen) {
      var batch = pending.slice(shown, shown + PAGE_SIZE);
      var data = await Promise.all(batch.map(function (r) { return r.data(); }));
      if (gen !== generation) return;
      data.forEach(function (d, i) {
        list.appendChild(resultNode(d, 'search-result-' + (shown + i + 1)));
      });
      shown += batch.length;
      more.hidden = shown >= pending.length;
    }

    async function run() {
      var gen = ++generation;
      var query = input.value.trim();
      var filters = chosenFilters();
      syncAddress();
      if (!query && Object.keys(filters).length === 0) {
        list.replaceChildren();
        pending = [];
        shown = 0;
        more.hidden = true;
        status.textContent = '';
        root.removeAttribute('aria-busy');
        return;
      }
      root.setAttribute('aria-busy', 'true');
      var search = await pagefind.search(query || null, { filters: filters });
      if (gen !== generation || !search) return;
      pending = search.results;
      shown = 0;
      list.replaceChildren();
      await showMore(gen);
      if (gen !== generation) return;
      root.removeAttribute('aria-busy');
      status.textContent = describe(pending.length, query, filters);
    }

    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(function () { run().catch(fail); }, DEBOUNCE_MS);
    }

    function fail(error) {
      root.removeAttribute('aria-busy');
      status.textContent = 'Search could not load. Please try again later, or browse the sections listed in the menu.';
      if (window.console) console.error(error);
    }

    function buildFilters(available) {
      var fieldset = el('fieldset', { class: 'search__fieldset' }, [
        el('legend', { class: 'search__legend', text: 'Filter results' }),
      ]);
      var any = false;
      FILTERS.forEach(function (f) {
        var values = available[f.key] || {};
        var names = Object.keys(values).sort(function (a, b) { return a.localeCompare(b); });
        if (names.length === 0) return;
        any = true;
        var id = 'search-filter-' + f.key;
        var select = el('select', { id: id, name: f.key, class: 'search__select' }, [
          el('option', { value: '', text: 'Any ' + f.label.toLowerCase() }),
        ]);
        names.forEach(function (name) {
          select.appendChild(el('option', { value: name, text: name + ' (' + values[name] + ')' }));
        });
        var wanted = params.get(f.key);
        if (wanted && names.indexOf(wanted) >= 0) select.value = wanted;
        select.addEventListener('change', function () { run().catch(fail); });
        selects[f.key] = select;
        fieldset.appendChild(el('div', { class: 'search__filter search__filter--' + slug(f.key) }, [
          el('label', { for: id, text: f.label }),
          select,
        ]));
      });
      if (any) {
        filterBox.replaceChildren(fieldset);
        filterBox.hidden = false;
      }
    }

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      clearTimeout(timer);
      if (pagefind) run().catch(fail);
    });
    input.addEventListener('input', function () {
      if (pagefind) schedule();
    });
    more.addEventListener('click', function () {
      var first = shown;
      showMore(generation).then(function () {
        var link = list.querySelectorAll('.search-result__link')[first];
        if (link) link.focus();
      }).catch(fail);
    });

    import(bundle + 'pagefind.js').then(async function (module) {
      pagefind = module;
      await pagefind.options({ excerptLength: 30 });
      buildFilters(await pagefind.filters());
      root.setAttribute('data-ready', 'true');
      if (input.value.trim() || Object.keys(chosenFilters()).length) await run();
    }).catch(fail);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();

/*
 * Charla web chat widget. Plain browser JavaScript, no build step. Embed it with
 *
 *   <script src="https://charla.example.com/widget.js"
 *           data-charla-url="https://charla.example.com"   (optional: defaults to the script's origin)
 *           data-locale="es"                               (optional: es | en, else the browser's)
 *           data-title="Acme"                              (optional: panel title)
 *           data-open="true"></script>                     (optional: open the panel on load)
 *
 * It renders inside a shadow root (the host page's CSS cannot break it, nor it the page's), keeps
 * the session id and token in localStorage, sends each message with a clientMessageId (a retry
 * after a network error is never processed twice), receives replies over a WebSocket and falls
 * back to polling GET /messages while the socket is down.
 */
/* global window, document, navigator, localStorage, fetch, WebSocket, crypto, setTimeout, clearTimeout, setInterval, clearInterval */
(function () {
  'use strict';

  var script = document.currentScript;
  if (!script || window.__charlaWidget) return;
  window.__charlaWidget = true;

  var STRINGS = {
    es: {
      title: 'Chatea con nosotros',
      open: 'Abrir el chat',
      close: 'Cerrar el chat',
      placeholder: 'Escribe un mensaje…',
      send: 'Enviar',
      connecting: 'Conectando…',
      online: 'En línea',
      offline: 'Sin conexión, reintentando…',
      sendFailed: 'No se pudo enviar este mensaje.',
      tooLong: 'El mensaje es demasiado largo.',
      welcome: '¡Hola! ¿En qué podemos ayudarte?',
      teaser: 'Mensaje del chat: ábrelo para responder',
      you: 'Tú',
      bot: 'Asistente',
      staff: 'Agente',
      typing: 'Escribiendo…',
      yes: 'Sí',
      no: 'No',
      slots: {
        name: 'Tu nombre',
        email: 'tu@correo.com',
        phone: 'Tu teléfono, p. ej. +34 600 000 000',
        company: 'Nombre de tu empresa',
        description: 'Cuéntanos los detalles',
        confirm: 'Sí o no',
      },
    },
    en: {
      title: 'Chat with us',
      open: 'Open the chat',
      close: 'Close the chat',
      placeholder: 'Type a message…',
      send: 'Send',
      connecting: 'Connecting…',
      online: 'Online',
      offline: 'Offline, retrying…',
      sendFailed: 'This message could not be sent.',
      tooLong: 'The message is too long.',
      welcome: 'Hi! How can we help you?',
      teaser: 'Chat message: open it to reply',
      you: 'You',
      bot: 'Assistant',
      staff: 'Agent',
      typing: 'Typing…',
      yes: 'Yes',
      no: 'No',
      slots: {
        name: 'Your name',
        email: 'you@example.com',
        phone: 'Your phone, e.g. +1 415 555 0100',
        company: 'Your company name',
        description: 'Tell us the details',
        confirm: 'Yes or no',
      },
    },
  };

  /** Input hints per flow slot: what keyboard and autofill the visitor's browser offers. */
  var SLOT_INPUT = {
    name: { type: 'text', inputmode: 'text', autocomplete: 'name' },
    // Not type=email: Chromium turns an internationalised domain into punycode
    // (ana@cafetería.es → ana@xn--cafetera-…): the email keyboard without that conversion.
    email: { type: 'text', inputmode: 'email', autocomplete: 'email' },
    phone: { type: 'tel', inputmode: 'tel', autocomplete: 'tel' },
    company: { type: 'text', inputmode: 'text', autocomplete: 'organization' },
  };
  var DEFAULT_INPUT = { type: 'text', inputmode: 'text', autocomplete: 'off' };
  var MAX_TEXT = 4000;
  var POLL_MS = 3000;

  function pickLocale() {
    var wanted = (script.getAttribute('data-locale') || navigator.language || 'es').toLowerCase();
    return wanted.indexOf('en') === 0 ? 'en' : wanted.indexOf('es') === 0 ? 'es' : 'en';
  }

  var baseUrl = (
    script.getAttribute('data-charla-url') || new URL(script.src, document.baseURI).origin
  ).replace(/\/+$/, '');
  var locale = pickLocale();
  var t = STRINGS[locale];
  var storageKey = 'charla-webchat:' + baseUrl;

  // ---------------------------------------------------------------- state
  var session = loadSession();
  /** Server messages by id, and their display order (createdAt, then id). */
  var messages = new Map();
  /** Visitor messages not yet confirmed by the server: {clientMessageId, text, messageId?, failed?}. */
  var outgoing = [];
  var socket = null;
  var socketOpen = false;
  var reconnectDelay = 1000;
  var reconnectTimer = null;
  var pollTimer = null;
  var sendChain = Promise.resolve();
  var started = false;
  var typingTimer = null;
  /** The ongoing campaign shown on this page ({id, text}), kept at the top of the chat. */
  var campaign = null;
  /** The in-flight session creation, shared by concurrent callers. */
  var creating = null;

  function loadSession() {
    try {
      var raw = localStorage.getItem(storageKey);
      var parsed = raw ? JSON.parse(raw) : null;
      return parsed && parsed.sessionId && parsed.token ? parsed : null;
    } catch {
      return null;
    }
  }
  function saveSession(s) {
    session = s;
    try {
      if (s)
        localStorage.setItem(
          storageKey,
          JSON.stringify({ sessionId: s.sessionId, token: s.token }),
        );
      else localStorage.removeItem(storageKey);
    } catch {
      /* storage unavailable (private mode): the session lasts for this page only */
    }
  }

  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map
      .call(b, function (x) {
        return (x + 256).toString(16).slice(1);
      })
      .join('');
  }
  function sleep(ms) {
    return new Promise(function (r) {
      setTimeout(r, ms);
    });
  }

  // ---------------------------------------------------------------- DOM
  var host = document.createElement('div');
  host.id = 'charla-widget';
  host.setAttribute('data-testid', 'charla-widget');
  var root = host.attachShadow({ mode: 'open' });
  root.innerHTML =
    '<style>' +
    css() +
    '</style>' +
    '<button id="charla-teaser" data-testid="charla-teaser" class="teaser" type="button" hidden></button>' +
    '<button id="charla-launcher" data-testid="charla-launcher" class="launcher" type="button">' +
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg>' +
    '</button>' +
    '<section id="charla-panel" data-testid="charla-panel" class="panel" role="dialog" aria-labelledby="charla-title" hidden>' +
    '<header><div><strong id="charla-title"></strong><span id="charla-status" data-testid="charla-status"></span></div>' +
    '<button id="charla-close" data-testid="charla-close" class="close" type="button">×</button></header>' +
    '<ol id="charla-messages" data-testid="charla-messages" aria-live="polite"></ol>' +
    '<div id="charla-quick-replies" data-testid="charla-quick-replies" class="quick"></div>' +
    '<form id="charla-form" data-testid="charla-form" novalidate>' +
    '<input id="charla-input" data-testid="charla-input" maxlength="' +
    MAX_TEXT +
    '">' +
    '<button id="charla-send" data-testid="charla-send" type="submit">' +
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M3 20l18-8L3 4v6l12 2-12 2z"/></svg></button>' +
    '</form></section>';

  var $ = function (id) {
    return root.getElementById(id);
  };
  var launcher = $('charla-launcher');
  var panel = $('charla-panel');
  var list = $('charla-messages');
  var quick = $('charla-quick-replies');
  var form = $('charla-form');
  var input = $('charla-input');
  var statusEl = $('charla-status');
  var teaser = $('charla-teaser');
  $('charla-title').textContent = script.getAttribute('data-title') || t.title;
  launcher.setAttribute('aria-label', t.open);
  $('charla-close').setAttribute('aria-label', t.close);
  $('charla-send').setAttribute('aria-label', t.send);
  input.placeholder = t.placeholder;
  panel.setAttribute('lang', locale);

  launcher.addEventListener('click', function () {
    setOpen(panel.hidden);
  });
  $('charla-close').addEventListener('click', function () {
    setOpen(false);
  });
  // Escape closes the panel, and focus goes back to the button that opens it.
  panel.addEventListener('keydown', function (ev) {
    if (ev.key !== 'Escape' || panel.hidden) return;
    ev.preventDefault();
    setOpen(false);
    launcher.focus();
  });
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    if (text.length > MAX_TEXT) return setStatus(t.tooLong);
    input.value = '';
    send(text);
  });

  function setOpen(open) {
    panel.hidden = !open;
    launcher.setAttribute('aria-expanded', String(open));
    if (open) {
      input.focus();
      start();
    }
  }

  function setStatus(text, state) {
    statusEl.textContent = text;
    statusEl.setAttribute('data-state', state || '');
  }

  // ---------------------------------------------------------------- HTTP
  function api(path, options) {
    options = options || {};
    var headers = { 'content-type': 'application/json' };
    if (session) headers.authorization = 'Bearer ' + session.token;
    return fetch(baseUrl + path, {
      method: options.method || 'GET',
      headers: headers,
      body: options.body ? JSON.stringify(options.body) : undefined,
    });
  }

  /**
   * A usable session: the stored one, or a new one. Concurrent callers (opening the panel and a
   * first message) share one creation, so a visitor never ends up with two sessions.
   */
  function ensureSession() {
    if (session) return Promise.resolve(session);
    if (!creating) {
      // The browser's full locale (en-GB) tells the visitor's country: phones typed without a
      // country code are read there first.
      var browserLocale = String(navigator.language || '').slice(0, 35);
      creating = api('/api/webchat/sessions', {
        method: 'POST',
        body: { locale: locale, browserLocale: browserLocale || undefined },
      })
        .then(function (res) {
          if (res.status !== 201) throw new Error('session ' + res.status);
          return res.json();
        })
        .then(function (created) {
          saveSession(created);
          return created;
        })
        .finally(function () {
          creating = null;
        });
    }
    return creating;
  }

  /** The stored session is gone (unknown or token refused): start over with a new one. */
  function dropSession() {
    saveSession(null);
    messages.clear();
    closeSocket();
    render();
  }

  async function loadHistory() {
    if (!session) return;
    var res = await api(
      '/api/webchat/sessions/' + encodeURIComponent(session.sessionId) + '/messages',
    );
    if (res.status === 401 || res.status === 404) {
      dropSession();
      return;
    }
    if (!res.ok) throw new Error('history ' + res.status);
    var body = await res.json();
    body.messages.forEach(upsert);
    render();
  }

  function send(text) {
    var item = { clientMessageId: uuid(), text: text };
    outgoing.push(item);
    render();
    // One at a time, in order: the conversation is a dialogue.
    sendChain = sendChain.then(function () {
      return deliver(item);
    });
  }

  /** Posts one message, retrying network and server errors with the same clientMessageId. */
  async function deliver(item) {
    for (var attempt = 0; ; attempt++) {
      try {
        await ensureSession();
        var res = await api(
          '/api/webchat/sessions/' + encodeURIComponent(session.sessionId) + '/messages',
          {
            method: 'POST',
            body: { text: item.text, clientMessageId: item.clientMessageId },
          },
        );
        if (res.status === 202) {
          item.messageId = (await res.json()).messageId;
          connect();
          render();
          return;
        }
        if (res.status === 401 || res.status === 404) {
          dropSession();
          if (attempt < 2) continue;
        } else if (res.status >= 400 && res.status < 500) {
          item.failed = true;
          render();
          return;
        }
      } catch {
        /* network error: retried below */
      }
      setStatus(t.offline, 'offline');
      await sleep(Math.min(1000 * Math.pow(2, attempt), 15000));
    }
  }

  // ---------------------------------------------------------------- realtime
  function connect() {
    if (!session || socket) return;
    var url =
      baseUrl.replace(/^http/, 'ws') +
      '/api/webchat/sessions/' +
      encodeURIComponent(session.sessionId) +
      '/stream?token=' +
      encodeURIComponent(session.token);
    var ws = new WebSocket(url);
    socket = ws;
    ws.onopen = function () {
      socketOpen = true;
      reconnectDelay = 1000;
      stopPolling();
      setStatus(t.online, 'online');
    };
    ws.onmessage = function (ev) {
      try {
        upsert(JSON.parse(ev.data));
        render();
      } catch {
        /* not a message object: ignored */
      }
    };
    ws.onclose = function (ev) {
      if (socket !== ws) return;
      socket = null;
      socketOpen = false;
      if (ev.code === 4401 || ev.code === 4404) {
        dropSession();
        return;
      }
      setStatus(t.offline, 'offline');
      startPolling();
      clearTimeout(reconnectTimer);
      reconnectTimer = setTimeout(connect, reconnectDelay);
      reconnectDelay = Math.min(reconnectDelay * 2, 30000);
    };
  }

  function closeSocket() {
    if (socket) {
      var ws = socket;
      socket = null;
      socketOpen = false;
      ws.close();
    }
  }

  function startPolling() {
    if (pollTimer) return;
    pollTimer = setInterval(function () {
      if (!socketOpen) loadHistory().catch(function () {});
    }, POLL_MS);
  }
  function stopPolling() {
    clearInterval(pollTimer);
    pollTimer = null;
  }

  async function start() {
    if (started) return;
    started = true;
    setStatus(t.connecting, 'connecting');
    for (var attempt = 0; ; attempt++) {
      try {
        if (session) await loadHistory();
        await ensureSession();
        connect();
        return;
      } catch {
        setStatus(t.offline, 'offline');
        await sleep(Math.min(1000 * Math.pow(2, attempt), 15000));
      }
    }
  }

  // ---------------------------------------------------------------- rendering
  function upsert(m) {
    if (!m || typeof m.id !== 'string' || typeof m.text !== 'string') return;
    messages.set(m.id, m);
  }

  function ordered() {
    return Array.from(messages.values()).sort(function (a, b) {
      return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1;
    });
  }

  function bubble(text, direction, attrs) {
    var li = document.createElement('li');
    li.className = 'msg ' + direction;
    li.setAttribute('data-testid', 'charla-message');
    li.setAttribute('data-direction', direction);
    Object.keys(attrs || {}).forEach(function (k) {
      if (attrs[k] !== undefined) li.setAttribute(k, attrs[k]);
    });
    var p = document.createElement('p');
    p.textContent = text; // never innerHTML: message text is untrusted
    li.appendChild(p);
    return li;
  }

  function render() {
    var all = ordered();
    var fragment = document.createDocumentFragment();
    if (campaign) {
      fragment.appendChild(
        bubble(campaign.text, 'out', { 'data-testid': 'charla-campaign', 'data-author': 'bot' }),
      );
    } else if (all.length === 0 && outgoing.length === 0) {
      fragment.appendChild(bubble(t.welcome, 'out', { 'data-testid': 'charla-welcome' }));
    }
    all.forEach(function (m) {
      var li = bubble(m.text, m.direction, {
        'data-message-id': m.id,
        'data-author': m.author,
        'data-awaiting-slot': m.awaiting ? m.awaiting.slot : undefined,
      });
      if (m.author === 'staff') {
        var who = document.createElement('span');
        who.className = 'who';
        who.textContent = t.staff;
        li.insertBefore(who, li.firstChild);
      }
      fragment.appendChild(li);
    });
    outgoing = outgoing.filter(function (o) {
      return !(o.messageId && messages.has(o.messageId));
    });
    outgoing.forEach(function (o) {
      var li = bubble(o.text, 'in', {
        'data-pending': 'true',
        'data-client-message-id': o.clientMessageId,
      });
      if (o.failed) {
        li.classList.add('failed');
        li.setAttribute('title', t.sendFailed);
      }
      fragment.appendChild(li);
    });
    var last = all[all.length - 1];
    // Dots while a reply is due; not forever when none comes (e.g. waiting for a human agent).
    var waitingForReply =
      outgoing.some(function (o) {
        return !o.failed;
      }) ||
      (last && last.direction === 'in' && Date.now() - Date.parse(last.createdAt) < 20000);
    clearTimeout(typingTimer);
    if (waitingForReply && last && last.direction === 'in') {
      typingTimer = setTimeout(render, 20000 - (Date.now() - Date.parse(last.createdAt)) + 50);
    }
    if (waitingForReply) {
      var typing = document.createElement('li');
      typing.className = 'typing';
      typing.setAttribute('data-testid', 'charla-typing');
      typing.setAttribute('aria-label', t.typing);
      typing.innerHTML = '<span></span><span></span><span></span>';
      fragment.appendChild(typing);
    }
    list.replaceChildren(fragment);

    var prompt = !waitingForReply && last && last.direction === 'out' ? last : null;
    renderQuickReplies(prompt);
    applyInputHints(prompt && prompt.awaiting ? prompt.awaiting.slot : null);
    // The buttons take room from the list: scroll once they are in, and again after layout (fonts,
    // wrapping buttons), so the last message stays fully visible.
    scrollToEnd();
  }

  function scrollToEnd() {
    list.scrollTop = list.scrollHeight;
    var raf = window.requestAnimationFrame || setTimeout;
    raf(function () {
      list.scrollTop = list.scrollHeight;
    });
  }

  function renderQuickReplies(prompt) {
    var replies = prompt && prompt.quickReplies ? prompt.quickReplies : [];
    if (replies.length === 0 && prompt && prompt.awaiting && prompt.awaiting.slot === 'confirm') {
      replies = [
        { title: t.yes, payload: t.yes.toLowerCase() },
        { title: t.no, payload: t.no.toLowerCase() },
      ];
    }
    quick.replaceChildren.apply(
      quick,
      replies.map(function (q) {
        var b = document.createElement('button');
        b.type = 'button';
        b.setAttribute('data-testid', 'charla-quick-reply');
        b.setAttribute('data-payload', q.payload);
        b.textContent = q.title;
        b.addEventListener('click', function () {
          send(q.payload);
        });
        return b;
      }),
    );
  }

  function applyInputHints(slot) {
    var hint = (slot && SLOT_INPUT[slot]) || DEFAULT_INPUT;
    input.type = hint.type;
    input.setAttribute('inputmode', hint.inputmode);
    input.setAttribute('autocomplete', hint.autocomplete);
    input.setAttribute('data-slot', slot || '');
    input.placeholder = (slot && t.slots[slot]) || t.placeholder;
  }

  function css() {
    return [
      ':host{all:initial}',
      '*{box-sizing:border-box;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}',
      '.launcher{position:fixed;right:24px;bottom:24px;width:60px;height:60px;border-radius:50%;border:0;',
      'background:#4338ca;color:#fff;cursor:pointer;box-shadow:0 8px 24px rgba(67,56,202,.4);z-index:2147483646;',
      'display:flex;align-items:center;justify-content:center}',
      '.launcher svg{width:28px;height:28px;fill:currentColor}',
      '.launcher:focus-visible,button:focus-visible,input:focus-visible{outline:3px solid #a5b4fc;outline-offset:2px}',
      '.panel{position:fixed;right:24px;bottom:96px;width:370px;height:560px;max-height:calc(100vh - 120px);',
      'background:#fff;border-radius:16px;box-shadow:0 16px 48px rgba(15,23,42,.25);display:flex;',
      'flex-direction:column;overflow:hidden;z-index:2147483647;color:#0f172a;font-size:15px}',
      '.panel[hidden]{display:none}',
      '.teaser{position:fixed;right:24px;bottom:96px;max-width:min(300px,calc(100vw - 48px));padding:12px 14px;',
      'background:#fff;color:#0f172a;border:0;border-radius:16px 16px 4px 16px;box-shadow:0 8px 24px rgba(15,23,42,.2);',
      'font-size:15px;line-height:1.4;text-align:left;cursor:pointer;z-index:2147483646;white-space:pre-wrap;word-wrap:break-word}',
      '.teaser[hidden]{display:none}',
      'header{display:flex;align-items:center;justify-content:space-between;padding:14px 16px;',
      'background:#4338ca;color:#fff}',
      'header strong{display:block;font-size:16px}',
      '#charla-status{display:block;font-size:12px;opacity:.85;margin-top:2px}',
      '.close{background:transparent;border:0;color:#fff;font-size:26px;line-height:1;cursor:pointer;padding:0 4px}',
      'ol{list-style:none;margin:0;padding:16px;flex:1;overflow-y:auto;display:flex;flex-direction:column;gap:8px;',
      'background:#f8fafc}',
      '.msg{max-width:80%;padding:9px 13px;border-radius:16px;line-height:1.4;word-wrap:break-word}',
      '.msg p{margin:0;white-space:pre-wrap}',
      '.msg.out{align-self:flex-start;background:#e2e8f0;border-bottom-left-radius:4px}',
      '.msg.in{align-self:flex-end;background:#4338ca;color:#fff;border-bottom-right-radius:4px}',
      '.msg[data-pending]{opacity:.7}',
      '.msg.failed{background:#b91c1c}',
      '.who{display:block;font-size:11px;font-weight:600;color:#4338ca;margin-bottom:2px}',
      '.typing{align-self:flex-start;background:#e2e8f0;border-radius:16px;padding:12px 14px;display:flex;gap:4px}',
      '.typing span{width:6px;height:6px;border-radius:50%;background:#64748b;animation:blink 1.2s infinite}',
      '.typing span:nth-child(2){animation-delay:.2s}.typing span:nth-child(3){animation-delay:.4s}',
      '@keyframes blink{0%,80%,100%{opacity:.3}40%{opacity:1}}',
      '.quick{display:flex;flex-wrap:wrap;gap:6px;padding:0 16px;background:#f8fafc}',
      '.quick:not(:empty){padding:4px 16px 12px}',
      '.quick button{border:1px solid #4338ca;color:#4338ca;background:#fff;border-radius:999px;',
      'padding:6px 14px;font-size:14px;cursor:pointer}',
      '.quick button:hover{background:#eef2ff}',
      'form{display:flex;gap:8px;padding:12px;border-top:1px solid #e2e8f0;background:#fff}',
      'input{flex:1;border:1px solid #cbd5e1;border-radius:999px;padding:10px 14px;font-size:15px;min-width:0}',
      '#charla-send{width:42px;height:42px;border-radius:50%;border:0;background:#4338ca;color:#fff;cursor:pointer;',
      'display:flex;align-items:center;justify-content:center}',
      '#charla-send svg{width:20px;height:20px;fill:currentColor}',
      '@media (max-width:480px){.panel{right:0;bottom:0;width:100vw;height:100vh;max-height:none;border-radius:0}}',
    ].join('');
  }

  // ---------------------------------------------------------------- ongoing campaigns
  // A random id for this browser, so an anonymous visitor sees each campaign once.
  function visitorId() {
    var key = 'charla-visitor:' + baseUrl;
    try {
      var id = localStorage.getItem(key);
      if (id && /^[\w-]{16,64}$/.test(id)) return id;
      id = uuid().replace(/[^\w-]/g, '');
      localStorage.setItem(key, id);
      return id;
    } catch {
      return undefined;
    }
  }

  function reportShown(c) {
    return api('/api/webchat/campaign/' + encodeURIComponent(c.id) + '/shown', {
      method: 'POST',
      body: {
        url: String(window.location.href).slice(0, 2000),
        visitorId: c.visitorId,
        sessionId: session ? session.sessionId : undefined,
      },
    }).catch(function () {});
  }

  /** Asks whether an ongoing campaign matches this page; shows it after its seconds on the page. */
  async function checkCampaign() {
    var vid = visitorId();
    var res = await api('/api/webchat/campaign', {
      method: 'POST',
      body: {
        url: String(window.location.href).slice(0, 2000),
        visitorId: vid,
        sessionId: session ? session.sessionId : undefined,
        locale: locale,
      },
    });
    if (!res.ok) return;
    var found = (await res.json()).campaign;
    if (!found) return;
    setTimeout(
      function () {
        if (!panel.hidden || campaign) return;
        campaign = { id: found.id, text: found.text, visitorId: vid, known: Boolean(session) };
        teaser.textContent = found.text; // never innerHTML: staff-written, still text only
        teaser.setAttribute('aria-label', t.teaser + ': ' + found.text);
        teaser.hidden = false;
        render();
        reportShown(campaign);
      },
      Math.max(0, Number(found.secondsOnPage) || 0) * 1000,
    );
  }

  teaser.addEventListener('click', function () {
    teaser.hidden = true;
    setOpen(true);
    // An anonymous visitor now has a session: the impression becomes their contact's, so their
    // reply counts as the campaign's.
    if (campaign && !campaign.known) {
      var c = campaign;
      ensureSession().then(function () {
        c.known = true;
        return reportShown(c);
      });
    }
  });
  launcher.addEventListener('click', function () {
    teaser.hidden = true;
  });

  render();
  (document.body || document.documentElement).appendChild(host);
  checkCampaign().catch(function () {
    /* no campaign: the widget works as before */
  });
  if (script.getAttribute('data-open') === 'true') setOpen(true);
  else if (session) start();
})();

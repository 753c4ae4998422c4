'use strict';

// The sandbox web chat. It talks only to the emulator's /api endpoints; message HTML arrives sanitised by the server,
// everything else (button texts, notices, links from actions) goes into the page as text or attributes.
(() => {
  const PERSONA_KEY = 'abitly.sandbox.persona';

  // Deep links to a bot, as Telegram opens them: t.me/<bot>?start=<payload> (scheme optional) and tg://resolve?domain=<bot>&start=<payload>.
  // Regex literals, so the page's files hold no absolute URL at all.
  const TME_LINK = /^(?:https?:\/\/)?(?:www\.)?t\.me\/([A-Za-z0-9_]+)\/?\?([^#]*)/i;
  const TG_LINK = /^tg:\/\/resolve\?([^#]*)/i;
  const SAFE_LINK = /^(?:https?|tg):/i;

  const $ = (selector) => document.querySelector(selector);
  const els = {
    title: $('#title'),
    botUsername: $('#bot-username'),
    persona: $('#persona'),
    panelToggle: $('#panel-toggle'),
    offline: $('#offline'),
    messages: $('#messages'),
    empty: $('#empty'),
    composer: $('#composer'),
    input: $('#input'),
    send: $('#send'),
    examples: $('#examples'),
    actions: $('#actions'),
    actionResult: $('#action-result'),
    toast: $('#toast'),
    alert: $('#alert'),
    alertText: $('#alert-text'),
    alertOk: $('#alert-ok'),
  };

  const state = {
    config: null,
    userId: null,
    epoch: null,       // the emulator's chat epoch; a new one means its chats started over
    after: 0,          // last version seen; the long poll asks for what changed after it
    loaded: false,     // the first answer holds the chat's history, whose old notices are not news
    generation: 0,     // bumped on a persona switch, so a poll of the previous persona stops
    poll: null,        // AbortController of the running long poll
    nodes: new Map(),  // messageId → .msg element, so edits update the same node
  };

  class ApiError extends Error {}

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  async function api(path, body, signal) {
    const init = { cache: 'no-store', signal };
    if (body !== undefined) {
      init.method = 'POST';
      init.headers = { 'Content-Type': 'application/json' };
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    let data = null;
    try {
      data = await response.json();
    } catch {
      // Not JSON (e.g. a proxy error page): the status says enough.
    }
    if (!response.ok) throw new ApiError((data && data.error) || `Помилка ${response.status}`);
    return data;
  }

  // ---- Deep links ----

  /** The /start text for a link to this bot with a start parameter, or null for any other link. */
  function deepLinkCommand(href) {
    if (!href || !state.config) return null;
    const bot = state.config.botUsername.toLowerCase();
    let username = null;
    let params = null;
    const tme = TME_LINK.exec(href.trim());
    const tg = TG_LINK.exec(href.trim());
    if (tme) {
      username = tme[1];
      params = new URLSearchParams(tme[2]);
    } else if (tg) {
      params = new URLSearchParams(tg[1]);
      username = params.get('domain');
    }
    if (!username || username.toLowerCase() !== bot || !params.has('start')) return null;
    const payload = params.get('start');
    return payload ? `/start ${payload}` : '/start';
  }

  // One listener for every link on the page: deep links to the bot are sent as /start, like Telegram does.
  document.addEventListener('click', (event) => {
    const link = event.target.closest('a[href]');
    if (link) {
      const command = deepLinkCommand(link.getAttribute('href'));
      if (command !== null) {
        event.preventDefault();
        sendText(command);
      }
      return;
    }
    const button = event.target.closest('button.kb-button[data-callback]');
    if (button) {
      press(button);
      return;
    }
    const spoiler = event.target.closest('.spoiler');
    if (spoiler) spoiler.classList.add('revealed');
  });

  // ---- Messages ----

  function timeOf(iso) {
    return new Date(iso).toLocaleTimeString('uk-UA', { hour: '2-digit', minute: '2-digit' });
  }

  function isNearBottom() {
    const list = els.messages;
    return list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  }

  function scrollToBottom() {
    els.messages.scrollTop = els.messages.scrollHeight;
  }

  function updateEmpty() {
    els.empty.hidden = !state.loaded || state.nodes.size > 0;
  }

  function clearMessages() {
    state.nodes.clear();
    els.messages.replaceChildren();
  }

  function photoPlaceholder() {
    return el('div', 'photo-missing', '[фото]');
  }

  function renderPhoto(message, old) {
    if (!message.photoUrl) return photoPlaceholder();
    // An edit of a photo message changes only its caption or keyboard: keep the loaded image.
    if (old && old.getAttribute('src') === message.photoUrl) return old;
    const img = el('img', 'msg-photo');
    img.alt = 'Фото';
    img.addEventListener('error', () => img.replaceWith(photoPlaceholder()));
    img.addEventListener('load', () => {
      if (img.closest('.msg') === els.messages.lastElementChild) scrollToBottom();
    });
    img.src = message.photoUrl;
    return img;
  }

  function renderKeyboard(rows) {
    const keyboard = el('div', 'keyboard');
    for (const row of rows) {
      const line = el('div', 'kb-row');
      for (const b of row) {
        let button;
        if (b.callbackData != null) {
          button = el('button', 'kb-button', b.text);
          button.type = 'button';
          button.dataset.callback = b.callbackData;
        } else if (b.url) {
          button = el('a', 'kb-button', b.text);
          button.href = b.url;
          button.target = '_blank';
          button.rel = 'noopener noreferrer';
        } else {
          button = el('button', 'kb-button', b.text);
          button.type = 'button';
          button.disabled = true;
        }
        line.append(button);
      }
      keyboard.append(line);
    }
    return keyboard;
  }

  function upsertMessage(message) {
    let node = state.nodes.get(message.messageId);
    if (!node) {
      node = el('div');
      node.dataset.messageId = String(message.messageId);
      state.nodes.set(message.messageId, node);
      // Usually the newest; keep id order if an older one arrives late.
      let next = null;
      for (let child = els.messages.lastElementChild; child; child = child.previousElementSibling) {
        if (Number(child.dataset.messageId) > message.messageId) next = child;
        else break;
      }
      els.messages.insertBefore(node, next);
    }
    node.className = `msg ${message.fromBot ? 'from-bot' : 'from-user'}`;

    const bubble = el('div', 'bubble');
    if (message.hasPhoto) bubble.append(renderPhoto(message, node.querySelector('img.msg-photo')));
    const text = el('div', 'msg-text');
    text.innerHTML = message.html;   // sanitised by the emulator (ChatHtml)
    bubble.append(text);
    const meta = el('div', 'msg-meta');
    if (message.edited) meta.append(el('span', 'msg-edited', 'змінено'));
    const time = el('time', '', timeOf(message.date));
    time.dateTime = message.date;
    meta.append(time);
    bubble.append(meta);

    const parts = [bubble];
    if (message.buttons && message.buttons.length > 0) parts.push(renderKeyboard(message.buttons));
    node.replaceChildren(...parts);
  }

  function removeMessage(messageId) {
    const node = state.nodes.get(messageId);
    if (node) node.remove();
    state.nodes.delete(messageId);
  }

  function apply(data) {
    if (state.epoch !== null && data.epoch !== state.epoch) {
      // A new emulator (or a reset): what the page shows is gone. Start again; the next poll answers at once.
      state.epoch = data.epoch;
      state.after = 0;
      state.loaded = false;
      clearMessages();
      updateEmpty();
      return;
    }
    state.epoch = data.epoch;
    const follow = !state.loaded || isNearBottom();
    for (const message of data.messages) {
      if (message.deleted) removeMessage(message.messageId);
      else upsertMessage(message);
    }
    if (state.loaded) {
      for (const notice of data.notices) {
        if (notice.showAlert) showAlert(notice.text);
        else showToast(notice.text);
      }
    }
    state.after = data.version;
    state.loaded = true;
    updateEmpty();
    if (follow) scrollToBottom();
  }

  // ---- Long poll ----

  function setOnline(online) {
    if (els.offline.hidden === online) return;
    // The banner takes room from the list: keep the newest message in view.
    const follow = isNearBottom();
    els.offline.hidden = online;
    if (follow) scrollToBottom();
  }

  async function pollLoop(generation) {
    let failures = 0;
    while (generation === state.generation) {
      const controller = new AbortController();
      state.poll = controller;
      // The first request, and the first after an error, answer at once: an empty chat shows its hint
      // and the offline banner goes away without waiting for a long poll to time out.
      const wait = state.loaded && failures === 0 ? '' : '&timeout=0';
      try {
        const data = await api(`/api/chats/${state.userId}/updates?after=${state.after}${wait}`, undefined, controller.signal);
        if (generation !== state.generation) return;
        failures = 0;
        setOnline(true);
        apply(data);
      } catch {
        if (generation !== state.generation) return;
        failures += 1;
        setOnline(false);
        await sleep(Math.min(500 * 2 ** (failures - 1), 5000));
      }
    }
  }

  function selectPersona(userId) {
    state.generation += 1;
    if (state.poll) state.poll.abort();
    state.userId = userId;
    state.after = 0;
    state.loaded = false;
    sessionStorage.setItem(PERSONA_KEY, String(userId));
    els.persona.value = String(userId);
    els.actionResult.replaceChildren();
    clearMessages();
    updateEmpty();
    pollLoop(state.generation);
  }

  // ---- Sending ----

  function showToast(text) {
    els.toast.textContent = text;
    els.toast.classList.add('visible');
    clearTimeout(showToast.timer);
    showToast.timer = setTimeout(() => els.toast.classList.remove('visible'), 4000);
  }

  function showAlert(text) {
    els.alertText.textContent = text;
    if (!els.alert.open) els.alert.showModal();
    els.alertOk.focus();
  }

  async function sendText(text) {
    const userId = state.userId;
    if (userId === null) return false;
    try {
      const message = await api(`/api/chats/${userId}/messages`, { text });
      // The long poll brings it too; showing it now keeps the page snappy when the poll is backing off.
      if (userId === state.userId && !state.nodes.has(message.messageId)) {
        upsertMessage(message);
        updateEmpty();
        scrollToBottom();
      }
      return true;
    } catch (error) {
      showToast(error instanceof ApiError ? error.message : 'Не вдалося надіслати: немає з\'єднання.');
      return false;
    }
  }

  async function press(button) {
    const node = button.closest('.msg');
    button.disabled = true;
    try {
      await api(`/api/chats/${state.userId}/press`, {
        messageId: Number(node.dataset.messageId),
        callbackData: button.dataset.callback,
      });
    } catch (error) {
      showToast(error instanceof ApiError ? error.message : 'Немає з\'єднання з пісочницею.');
    } finally {
      button.disabled = false;
    }
  }

  function autoresize() {
    els.input.style.height = 'auto';
    els.input.style.height = `${Math.min(els.input.scrollHeight + 2, 160)}px`;
  }

  async function submit() {
    const text = els.input.value;
    if (!text.trim() || els.send.disabled) return;
    els.send.disabled = true;
    const sent = await sendText(text);
    els.send.disabled = false;
    if (sent && els.input.value === text) {
      els.input.value = '';
      autoresize();
    }
    els.input.focus();
  }

  els.composer.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  els.input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  els.input.addEventListener('input', autoresize);

  // ---- Side panel ----

  function closePanel() {
    document.body.classList.remove('panel-open');
    els.panelToggle.setAttribute('aria-expanded', 'false');
  }

  els.panelToggle.addEventListener('click', () => {
    const open = document.body.classList.toggle('panel-open');
    els.panelToggle.setAttribute('aria-expanded', String(open));
  });

  function renderExamples(examples) {
    if (examples.length === 0) els.examples.append(el('li', 'hint', 'Прикладів немає.'));
    for (const example of examples) {
      const item = el('li', 'example-item');
      const put = el('button', 'example', example.label);
      put.type = 'button';
      put.dataset.text = example.text;
      put.title = example.text;
      put.addEventListener('click', () => {
        els.input.value = example.text;
        autoresize();
        closePanel();
        els.input.focus();
      });
      const send = el('button', 'example-send', '➤');
      send.type = 'button';
      send.title = 'Надіслати одразу';
      send.setAttribute('aria-label', `Надіслати одразу: ${example.label}`);
      send.addEventListener('click', () => {
        closePanel();
        sendText(example.text);
      });
      item.append(put, send);
      els.examples.append(item);
    }
  }

  function showActionResult(notice, link, failed) {
    const parts = [el('p', failed ? 'error' : '', notice)];
    if (link) {
      const safe = SAFE_LINK.test(link) || deepLinkCommand(link) !== null;
      const a = el(safe ? 'a' : 'span', '', link);
      if (safe) {
        a.href = link;
        a.target = '_blank';
        a.rel = 'noopener noreferrer';
      }
      parts.push(a);
    }
    els.actionResult.replaceChildren(...parts);
  }

  function renderActions(actions) {
    if (actions.length === 0) els.actions.append(el('p', 'hint', 'Дій немає.'));
    for (const action of actions) {
      const button = el('button', 'action', action.label);
      button.type = 'button';
      button.dataset.actionId = action.id;
      button.addEventListener('click', async () => {
        button.disabled = true;
        showActionResult('Виконую…');
        try {
          const result = await api(`/api/actions/${encodeURIComponent(action.id)}`, { userId: state.userId });
          showActionResult(result.notice, result.link);
        } catch (error) {
          showActionResult(error instanceof ApiError ? error.message : 'Немає з\'єднання з пісочницею.', null, true);
        } finally {
          button.disabled = false;
        }
      });
      els.actions.append(button);
    }
  }

  els.alertOk.addEventListener('click', () => els.alert.close());

  // ---- Start ----

  async function start() {
    let failures = 0;
    while (!state.config) {
      try {
        state.config = await api('/api/config');
        setOnline(true);
      } catch {
        failures += 1;
        setOnline(false);
        await sleep(Math.min(500 * 2 ** (failures - 1), 5000));
      }
    }

    const config = state.config;
    document.title = config.title;
    els.title.textContent = config.title;
    els.botUsername.textContent = `@${config.botUsername}`;
    for (const persona of config.personas) {
      const option = el('option', '', persona.label);
      option.value = String(persona.userId);
      els.persona.append(option);
    }
    renderExamples(config.examples);
    renderActions(config.actions);

    if (config.personas.length === 0) {
      els.persona.disabled = true;
      els.input.disabled = true;
      els.send.disabled = true;
      els.empty.textContent = 'Пісочниця не має жодної персони: нема від чийого імені писати.';
      els.empty.hidden = false;
      return;
    }

    // Each tab keeps its own persona (sessionStorage is per tab); a new tab starts with the first one.
    const saved = Number(sessionStorage.getItem(PERSONA_KEY));
    const persona = config.personas.find((p) => p.userId === saved) || config.personas[0];
    els.persona.addEventListener('change', () => selectPersona(Number(els.persona.value)));
    selectPersona(persona.userId);
    // The composer starts disabled: text typed before the page knows whose chat it is would be lost.
    els.input.disabled = false;
    els.send.disabled = false;
    els.input.focus();
  }

  start();
})();

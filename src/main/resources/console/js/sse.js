// Server-Sent Events over fetch(): EventSource cannot send the Authorization header, and the token must never go
// into a URL. Parses the text/event-stream format (event, data, id, retry; comments ignored) from a ReadableStream
// and reconnects with a growing back-off (Last-Event-ID when the stream had ids), until stopped or told to stop.
import {ApiError, headers, readResponse} from './api.js';

/**
 * stream(url, {onEvent(event), onOpen(), onError(err), shouldReconnect(lastEvent) → bool}) → {stop()}
 * onEvent gets {type, data, id}. A 4xx answer other than 429 stops (onError with the ApiError); network errors,
 * 5xx, 429 and a stream that ended reconnect unless shouldReconnect says no.
 */
export function stream(url, handlers) {
  const controller = new AbortController();
  let stopped = false;
  let lastId = null;
  let lastEvent = null;
  let delay = 1000;

  async function connect() {
    while (!stopped) {
      let retryAfter = null;
      try {
        const extra = {Accept: 'text/event-stream'};
        if (lastId !== null) extra['Last-Event-ID'] = lastId;
        const response = await fetch(url, {headers: headers(extra), signal: controller.signal, cache: 'no-store'});
        if (!response.ok) {
          const err = await readResponse(response).catch(e => e);
          retryAfter = Number(response.headers.get('Retry-After')) || null;
          if (response.status < 500 && response.status !== 429) {
            if (handlers.onError) handlers.onError(err);
            return;
          }
          throw err;
        }
        delay = 1000;
        if (handlers.onOpen) handlers.onOpen();
        await read(response.body, event => {
          if (event.id !== null) lastId = event.id;
          lastEvent = event;
          handlers.onEvent(event);
        }, ms => { delay = ms; });
        if (handlers.shouldReconnect && !handlers.shouldReconnect(lastEvent)) return;
      } catch (e) {
        if (stopped || e.name === 'AbortError') return;
        if (handlers.onError) handlers.onError(e instanceof ApiError ? e : new ApiError(0, {
          error: 'stream_interrupted', message: `Live updates interrupted (${e.message}); reconnecting`}));
      }
      if (stopped) return;
      await sleep(retryAfter ? retryAfter * 1000 : delay);
      delay = Math.min(delay * 2, 30000);
    }
  }

  connect();
  return {
    stop() {
      stopped = true;
      controller.abort();
    },
  };
}

function sleep(ms) {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/** Reads an event stream body, calling emit for each dispatched event. */
export async function read(body, emit, setRetry = () => {}) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = createParser(emit, setRetry);
  for (;;) {
    const {value, done} = await reader.read();
    if (done) break;
    parser.push(value);
  }
  // an event not ended by a blank line when the stream closes is dropped, as the standard says
}

/** The event-stream line parser (WHATWG HTML "server-sent events", interpretation of the stream). */
export function createParser(emit, setRetry) {
  let buffer = '';
  let type = '';
  let data = [];
  let id = null;
  function line(text) {
    if (text === '') {
      if (data.length) emit({type: type || 'message', data: data.join('\n'), id});
      type = '';
      data = [];
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const name = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (name === 'event') type = value;
    else if (name === 'data') data.push(value);
    else if (name === 'id' && !value.includes('\0')) id = value;
    else if (name === 'retry' && /^\d+$/.test(value)) setRetry(Number(value));
  }
  return {
    push(chunk) {
      buffer += chunk;
      let i;
      while ((i = buffer.search(/\r\n|\r|\n/)) >= 0) {
        const eol = buffer[i] === '\r' && buffer[i + 1] === '\n' ? 2 : 1;
        if (buffer[i] === '\r' && i + 1 === buffer.length) break; // a lone \r may be half of \r\n
        line(buffer.slice(0, i));
        buffer = buffer.slice(i + eol);
      }
    },
  };
}

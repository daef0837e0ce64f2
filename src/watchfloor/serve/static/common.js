/* Shared helpers for the dashboard. Data from the API is only ever written with textContent
   or element attributes, never parsed as HTML. */
"use strict";

window.WF = (function () {
  const TOKEN_KEY = "watchfloor.token";
  const FILTER_KEYS = ["since", "until", "type", "actor", "country", "admin1"];

  /** Create an element; children may be nodes or strings (added as text). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "text") node.textContent = String(value);
      else if (key === "class") node.className = String(value);
      else if (key === "href") node.setAttribute("href", safeHref(String(value)));
      else node.setAttribute(key, String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /** Only same-site paths and http(s) URLs become links; anything else goes nowhere. */
  function safeHref(value) {
    if (value.startsWith("/") && !value.startsWith("//")) return value;
    try {
      const url = new URL(value);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : "#";
    } catch (_e) {
      return "#";
    }
  }

  /** The CSS-class form of an event type, as the server's type_class filter makes it. */
  function slug(text) {
    const cleaned = String(text || "unknown").toLowerCase().replace(/[^a-z0-9]+/g, "-");
    return cleaned.replace(/^-+|-+$/g, "") || "unknown";
  }

  /** The dashboard's filters from the current URL, as a query string for the API. */
  function filterQuery() {
    const here = new URLSearchParams(window.location.search);
    const out = new URLSearchParams();
    for (const key of FILTER_KEYS) {
      const value = here.get(key);
      if (value) out.set(key, value);
    }
    return out;
  }

  async function readError(response) {
    try {
      const body = await response.json();
      if (body && body.error && body.error.message) return body.error.message;
    } catch (_e) {
      /* not JSON */
    }
    return `HTTP ${response.status}`;
  }

  async function getJSON(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(await readError(response));
    return response.json();
  }

  function token() {
    return window.sessionStorage.getItem(TOKEN_KEY) || "";
  }

  /** POST JSON with the pasted bearer token (never a cookie: cross-site pages cannot forge it). */
  async function postJSON(url, payload) {
    const secret = token();
    if (!secret) throw new Error("paste an API token first (watchfloor token create NAME)");
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        Authorization: `Bearer ${secret}`,
      },
      body: JSON.stringify(payload),
      credentials: "omit",
    });
    if (!response.ok) throw new Error(await readError(response));
    return response.json();
  }

  function setupTokenForm() {
    const form = document.getElementById("token-form");
    if (!form) return;
    const input = document.getElementById("token-input");
    const state = document.getElementById("token-state");
    const show = () => {
      state.textContent = token() ? "a token is set for this tab" : "no token set";
    };
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const value = input.value.trim();
      if (value) window.sessionStorage.setItem(TOKEN_KEY, value);
      input.value = "";
      show();
    });
    document.getElementById("token-forget").addEventListener("click", () => {
      window.sessionStorage.removeItem(TOKEN_KEY);
      show();
    });
    show();
  }

  document.addEventListener("DOMContentLoaded", setupTokenForm);

  return { el, safeHref, slug, filterQuery, getJSON, postJSON, token };
})();

// The monkey web UI: every view is drawn from the JSON API under /api/1.
// User-controlled text only ever enters the page through text nodes (see `h`); the one
// server-rendered HTML fragment, a diff, is escaped by monkey's diff renderer.
"use strict";

const ROLES = ["View", "Comment", "Justify", "Admin"];
let me = null;
let csrf = null;
let refreshTimer = null;

// h("tag", {attr: value, onclick: fn}, child...) builds an element; strings become text nodes.
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "value") el.value = value;
    else if (key === "checked") el.checked = !!value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

function can(role) {
  return me && ROLES.indexOf(me.role) >= ROLES.indexOf(role);
}

async function api(method, path, body) {
  const headers = {};
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && csrf) headers["x-csrf-token"] = csrf;
  const response = await fetch("/api/1" + path, {
    method, headers, credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401 && path !== "/login") {
    me = null;
    navigate("/login");
    throw new Error("log in first");
  }
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new Error((data && data.error) || response.statusText);
  return data;
}

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== "" && v !== null && v !== undefined) q.set(k, v);
  const s = q.toString();
  return s ? "?" + s : "";
}

function itemPath(i) {
  return ["/items", i.technology, i.account, i.region, i.name].map((p, n) => (n ? encodeURIComponent(p) : p)).join("/");
}

function itemLink(i) {
  return h("a", { href: itemPath(i), "data-nav": true }, i.name);
}

function view(...children) {
  const main = document.getElementById("view");
  main.replaceChildren(...children);
}

function showError(error) {
  const main = document.getElementById("view");
  main.prepend(h("p", { class: "error", role: "alert" }, String(error.message || error)));
}

function navigate(path) {
  if (location.pathname + location.search !== path) history.pushState(null, "", path);
  route();
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-nav]");
  if (link && !event.ctrlKey && !event.metaKey) {
    event.preventDefault();
    navigate(link.getAttribute("href"));
  }
});
window.addEventListener("popstate", route);

function drawBar() {
  const bar = document.getElementById("bar");
  if (!me) { bar.replaceChildren(h("strong", {}, "monkey")); return; }
  bar.replaceChildren(
    h("strong", {}, "monkey"),
    h("a", { href: "/", "data-nav": true }, "Dashboard"),
    h("a", { href: "/search", "data-nav": true }, "Search"),
    h("a", { href: "/auditorsettings", "data-nav": true }, "Auditor settings"),
    h("a", { href: "/settings", "data-nav": true }, "Settings"),
    h("span", { class: "who" }, me.email + " (" + me.role + ")"),
    h("button", { id: "logout", onclick: async () => { await api("POST", "/logout"); me = null; csrf = null; navigate("/login"); } }, "Log out"),
  );
}

async function route() {
  clearInterval(refreshTimer);
  refreshTimer = null;
  try {
    if (!me && location.pathname !== "/login") {
      try {
        const who = await api("GET", "/me");
        me = who.user; csrf = who.csrf_token;
      } catch (_) { return; }
    }
    drawBar();
    const path = location.pathname;
    if (path === "/login") return drawLogin();
    if (path === "/search") return await drawSearch();
    if (path === "/settings") return await drawSettings();
    if (path === "/compare") return await drawCompare();
    if (path === "/auditorsettings") return await drawAuditorSettings();
    if (path.startsWith("/items/")) return await drawItem(path.split("/").slice(2).map(decodeURIComponent));
    return await drawDashboard();
  } catch (error) {
    showError(error);
  }
}

function drawLogin() {
  const email = h("input", { id: "email", type: "email", autocomplete: "username", required: true });
  const password = h("input", { id: "password", type: "password", autocomplete: "current-password", required: true });
  const form = h("form", { id: "login-form", class: "inline", onsubmit: async (event) => {
    event.preventDefault();
    try {
      const answer = await api("POST", "/login", { email: email.value, password: password.value });
      me = answer.user; csrf = answer.csrf_token;
      navigate("/");
    } catch (error) { showError(error); }
  } },
    h("label", {}, "E-mail", email), h("label", {}, "Password", password), h("button", { id: "login", type: "submit" }, "Log in"));
  view(h("h1", {}, "Log in"), form);
}

function rowClass(item) {
  if (item.unjustified_score > 8) return "red";
  if (item.unjustified_score > 0) return "yellow";
  if (item.score > 0) return "green";
  return "";
}

async function drawDashboard() {
  const [accounts, scored, aging] = await Promise.all([
    api("GET", "/accounts"),
    api("GET", "/items" + query({ min_score: 1, count: 1000 })),
    api("GET", "/issues" + query({ justified: false, count: 1000 })),
  ]);
  const byAccount = {}, byTechnology = {};
  for (const item of scored.items) {
    byAccount[item.account] = (byAccount[item.account] || 0) + item.unjustified_score;
    byTechnology[item.technology] = (byTechnology[item.technology] || 0) + item.unjustified_score;
  }
  const top = [...scored.items].sort((a, b) => b.score - a.score).slice(0, 10);
  const oldest = [...aging.items].sort((a, b) => a.first_seen.localeCompare(b.first_seen)).slice(0, 10);
  view(
    h("h1", {}, "Dashboard"),
    h("div", { class: "cards" },
      h("div", { class: "card", id: "account-scores" }, h("h2", {}, "Accounts"),
        h("table", {}, h("tr", {}, h("th", {}, "Account"), h("th", {}, "Unjustified score")),
          accounts.map((a) => h("tr", {}, h("td", {}, h("a", { href: "/search" + query({ accounts: a.name }), "data-nav": true }, a.name)), h("td", {}, byAccount[a.number] || 0))))),
      h("div", { class: "card", id: "technology-scores" }, h("h2", {}, "Technology issue scores"),
        h("table", {}, Object.entries(byTechnology).sort((a, b) => b[1] - a[1]).map(([t, s]) => h("tr", {}, h("td", {}, t), h("td", {}, s))))),
      h("div", { class: "card", id: "top-items" }, h("h2", {}, "Highest-score items"),
        h("table", {}, top.map((i) => h("tr", { class: rowClass(i) }, h("td", {}, i.score), h("td", {}, i.technology), h("td", {}, itemLink(i)))))),
      h("div", { class: "card", id: "aging-issues" }, h("h2", {}, "Ageing unjustified issues"),
        h("table", {}, oldest.map((i) => h("tr", {}, h("td", {}, i.first_seen.slice(0, 10)), h("td", {}, i.score), h("td", {}, itemLink(i)), h("td", {}, i.message))))),
    ),
  );
}

// An input with autocomplete from /api/1/distinct/<field>.
function autocomplete(id, field, label, value) {
  const list = h("datalist", { id: id + "-options" });
  const input = h("input", { id, name: id, list: id + "-options", value: value || "", autocomplete: "off" });
  input.addEventListener("input", async () => {
    const last = input.value.split(",").pop().trim();
    try {
      const answer = await api("GET", "/distinct/" + field + query({ prefix: last, limit: 20 }));
      list.replaceChildren(...answer.values.map((v) => h("option", { value: v })));
    } catch (_) { /* autocomplete is a convenience */ }
  });
  return h("label", {}, label, input, list);
}

async function drawSearch() {
  const params = new URLSearchParams(location.search);
  const what = params.get("what") || "items";
  const page = Number(params.get("page") || 1);
  const fields = {
    regions: autocomplete("regions", "region", "Region", params.get("regions")),
    technologies: autocomplete("technologies", "technology", "Technology", params.get("technologies")),
    accounts: autocomplete("accounts", "account", "Account", params.get("accounts")),
    names: autocomplete("names", "name", "Name", params.get("names")),
  };
  const minScore = h("input", { id: "min_score", type: "number", min: 0, value: params.get("min_score") || "" });
  const refresh = h("input", { id: "auto-refresh", type: "checkbox", checked: params.get("refresh") === "1" });
  const form = h("form", { class: "filters", id: "filters", onsubmit: (event) => {
    event.preventDefault();
    const next = { what };
    for (const [k, label] of Object.entries(fields)) next[k] = label.querySelector("input").value.trim();
    next.min_score = minScore.value;
    if (refresh.checked) next.refresh = 1;
    navigate("/search" + query(next));
  } }, Object.values(fields), h("label", {}, "Min score", minScore),
    h("label", {}, "Auto-refresh (30 s)", refresh), h("button", { id: "search", type: "submit" }, "Search"));
  refresh.addEventListener("change", () => form.requestSubmit());
  const filters = {};
  for (const k of ["regions", "technologies", "accounts", "names", "min_score"]) if (params.get(k)) filters[k] = params.get(k);
  const tab = (name, label) => h("a", { href: "/search" + query({ ...Object.fromEntries(params), what: name, page: 1 }), "data-nav": true, class: what === name ? "on" : "" }, label);
  // Revisions have no scores: their list takes the other filters only.
  if (what === "revisions") delete filters.min_score;
  const endpoint = what === "issues" ? "issues" : what === "revisions" ? "revisions" : "items";
  const results = await api("GET", "/" + endpoint + query({ ...filters, page, count: 50 }));
  let table;
  if (what === "revisions") {
    table = h("table", { id: "results" }, h("tr", {}, ["Revision", "Account", "Technology", "Region", "Item", "Created", "State"].map((c) => h("th", {}, c))),
      results.items.map((r) => h("tr", { "data-revision": r.id },
        h("td", {}, r.id), h("td", {}, r.account_name || r.account), h("td", {}, r.technology), h("td", {}, r.region),
        h("td", {}, itemLink(r)), h("td", {}, r.created_at.replace("T", " ").slice(0, 19)), h("td", {}, r.active ? "active" : "deleted"))));
  } else if (what === "issues") {
    table = h("table", { id: "results" }, h("tr", {}, ["Score", "Account", "Technology", "Region", "Item", "Issue", "Notes", "Justified"].map((c) => h("th", {}, c))),
      results.items.map((i) => h("tr", { class: i.justified ? "green" : i.score > 8 ? "red" : "yellow" },
        h("td", {}, i.score), h("td", {}, i.account_name || i.account), h("td", {}, i.technology), h("td", {}, i.region),
        h("td", {}, itemLink(i)), h("td", {}, i.message), h("td", {}, i.notes), h("td", {}, i.justified ? "yes" : ""))));
  } else {
    table = h("table", { id: "results" }, h("tr", {}, ["Score", "Unjustified", "Account", "Technology", "Region", "Name", "Changed"].map((c) => h("th", {}, c))),
      results.items.map((i) => h("tr", { class: rowClass(i) },
        h("td", {}, i.score), h("td", {}, i.unjustified_score), h("td", {}, i.account_name || i.account), h("td", {}, i.technology),
        h("td", {}, i.region), h("td", {}, itemLink(i)), h("td", {}, i.last_changed.replace("T", " ").slice(0, 19)))));
  }
  const pages = Math.max(1, Math.ceil(results.total / 50));
  const pager = (n, label) => n >= 1 && n <= pages && n !== page
    ? h("a", { href: "/search" + query({ ...Object.fromEntries(params), page: n }), "data-nav": true }, label) : h("span", { class: "muted" }, label);
  view(h("h1", {}, "Search"), h("p", { class: "tabs" }, tab("items", "Items"), " · ", tab("issues", "Issues"), " · ", tab("revisions", "Revisions")), form,
    h("p", { id: "total" }, results.total + " found; page " + page + " of " + pages + " "), pager(page - 1, "‹ previous"), " ", pager(page + 1, "next ›"), table);
  if (refresh.checked) refreshTimer = setInterval(() => route(), 30000);
}

async function drawItem([technology, account, region, name]) {
  const base = "/items/" + [technology, account, region, name].map(encodeURIComponent).join("/");
  const data = await api("GET", base);
  const item = data.item;
  const issueRows = data.issues.map((issue) => {
    const key = { technology, account, region, name, check: issue.check, notes: issue.notes };
    const reason = h("input", { class: "reason", placeholder: "why the risk is accepted" });
    let action = null;
    if (can("Justify") && !issue.fixed) {
      action = issue.justified
        ? h("button", { class: "unjustify", onclick: async () => { try { await api("DELETE", "/issues/justification", key); route(); } catch (e) { showError(e); } } }, "Unjustify")
        : h("span", {}, reason, h("button", { class: "justify", onclick: async () => {
          try { await api("POST", "/issues/justification", { ...key, reason: reason.value }); route(); } catch (e) { showError(e); } } }, "Justify"));
    }
    return h("tr", { class: issue.fixed ? "" : issue.justified ? "green" : issue.score > 8 ? "red" : "yellow" },
      h("td", {}, issue.score), h("td", {}, issue.message), h("td", {}, issue.notes),
      h("td", {}, issue.fixed ? "fixed" : issue.justified ? "justified by " + issue.justification.by + ": " + issue.justification.reason : "open"),
      h("td", {}, issue.links.map((l) => h("div", {}, itemLink(l)))), h("td", {}, action));
  });
  const comment = h("textarea", { id: "comment-text", rows: 2, cols: 60 });
  const comments = h("div", { id: "comments" }, data.comments.map((c) => h("p", {}, h("strong", {}, c.author), " ", h("span", { class: "muted" }, c.at), ": ", c.text)),
    can("Comment") ? h("form", { class: "inline", onsubmit: async (event) => {
      event.preventDefault();
      try { await api("POST", base + "/comments", { text: comment.value }); route(); } catch (e) { showError(e); }
    } }, comment, h("button", { id: "add-comment", type: "submit" }, "Comment")) : null);
  const revisions = h("div", { id: "revisions" }, data.revisions.map((revision, index) => {
    const older = data.revisions[index + 1];
    const body = h("div", { class: "revision-body" });
    const show = async (mode, button) => {
      for (const b of button.parentNode.querySelectorAll("button")) b.classList.toggle("on", b === button);
      try {
        if (mode === "current") {
          const r = await api("GET", "/revisions/" + revision.id);
          body.replaceChildren(h("pre", { class: "config" }, JSON.stringify(r.config, null, 2)));
        } else {
          const r = await api("GET", "/revisions/" + revision.id + query({ compare: older.id }));
          const diff = document.createElement("div");
          diff.className = "diff";
          diff.innerHTML = r.diff_html; // escaped by monkey_core::diff
          body.replaceChildren(diff);
        }
      } catch (e) { showError(e); }
    };
    const current = h("button", { class: "tab-current", onclick: (e) => show("current", e.target) }, "Current");
    const diff = older ? h("button", { class: "tab-diff", onclick: (e) => show("diff", e.target) }, "Diff") : null;
    const pick = h("input", { type: "checkbox", class: "compare-pick", value: revision.id });
    return h("div", { class: "revision card", "data-revision": revision.id },
      h("p", {}, h("label", { class: "pick" }, pick, "compare"), " ", h("strong", {}, "Revision " + revision.id), " ", revision.created_at, revision.active ? "" : " (deleted)"),
      h("p", { class: "tabs" }, current, " ", diff), body, revisionComments(revision));
  }));
  const compare = h("button", { id: "compare-selected", type: "button", onclick: () => {
    const picked = [...revisions.querySelectorAll(".compare-pick")].filter((c) => c.checked).map((c) => c.value);
    if (picked.length !== 2) { showError(new Error("pick two revisions to compare")); return; }
    navigate("/compare" + query({ revisions: picked.join(",") }));
  } }, "Compare the two picked revisions");
  view(
    h("h1", {}, item.name),
    h("p", { class: "muted" }, [item.technology, item.account_name || item.account, item.region, item.arn || ""].filter(Boolean).join(" · ")),
    h("p", {}, "Score " + item.score + ", unjustified " + item.unjustified_score + (item.active ? "" : " — deleted")),
    h("h2", {}, "Issues"),
    h("table", { id: "issues" }, h("tr", {}, ["Score", "Issue", "Notes", "State", "Linked items", ""].map((c) => h("th", {}, c))), issueRows),
    h("h2", {}, "Comments"), comments,
    h("h2", {}, "Revisions"), data.revisions.length > 1 ? h("p", {}, compare) : null, revisions,
  );
  const first = revisions.querySelector(".tab-current");
  if (first) first.click();
}

// A revision's comments on the item page: each with a delete button for its author or an
// Admin, and a form to add one for those with the Comment role.
function revisionComments(revision) {
  const text = h("textarea", { class: "revision-comment-text", rows: 1, cols: 50 });
  return h("div", { class: "revision-comments" },
    revision.comments.map((c) => h("p", { class: "revision-comment", "data-comment": c.id },
      h("strong", {}, c.author), " ", h("span", { class: "muted" }, c.at), ": ", c.text, " ",
      me && (can("Admin") || c.author.toLowerCase() === me.email.toLowerCase())
        ? confirmButton("Delete", "delete-comment", () => api("DELETE", "/comments/" + c.id)) : null)),
    can("Comment") ? h("form", { class: "inline", onsubmit: async (event) => {
      event.preventDefault();
      try { await api("POST", "/revisions/" + revision.id + "/comments", { text: text.value }); route(); } catch (e) { showError(e); }
    } }, text, h("button", { class: "add-revision-comment", type: "submit" }, "Comment on revision " + revision.id)) : null);
}

// The compare page: two revisions (of one item or two) side by side, then the diff from the
// older to the newer, added parts green and removed red.
async function drawCompare() {
  const ids = (new URLSearchParams(location.search).get("revisions") || "").split(",").map((v) => v.trim()).filter(Boolean);
  if (ids.length !== 2 || ids.some((v) => !/^[0-9]+$/.test(v))) {
    view(h("h1", {}, "Compare"), h("p", { class: "error" }, "Name two revisions: /compare?revisions=<id>,<id>"));
    return;
  }
  const [older, newer] = ids.map(Number).sort((a, b) => a - b);
  const [left, right] = await Promise.all([api("GET", "/revisions/" + older), api("GET", "/revisions/" + newer + query({ compare: older }))]);
  const side = (r) => h("div", { class: "card side", "data-revision": r.id },
    h("h2", {}, "Revision " + r.id), h("p", {}, itemLink(r.item), " ", h("span", { class: "muted" }, r.created_at + (r.active ? "" : " (deleted)"))),
    h("pre", { class: "config" }, JSON.stringify(r.config, null, 2)));
  const diff = document.createElement("div");
  diff.className = "diff";
  diff.innerHTML = right.diff_html; // escaped by monkey_core::diff
  view(
    h("h1", {}, "Compare revisions " + older + " and " + newer),
    h("div", { class: "compare" },
      h("div", { class: "sides" }, side(left), side(right)),
      h("h2", {}, "Changes from " + older + " to " + newer), diff,
      h("details", {}, h("summary", {}, "JSON Patch"), h("pre", { class: "patch" }, JSON.stringify(right.json_patch, null, 2)))),
  );
}

// Auditor settings: every check in every account, whether it runs and its open issues; those
// with the Justify role turn a check off or on (in every account at once).
async function drawAuditorSettings() {
  const params = new URLSearchParams(location.search);
  const page = Number(params.get("page") || 1);
  const fields = {
    accounts: autocomplete("accounts", "account", "Account", params.get("accounts")),
    technologies: autocomplete("technologies", "technology", "Technology", params.get("technologies")),
  };
  const check = h("input", { id: "check", value: params.get("check") || "" });
  const enabled = h("select", { id: "enabled" }, [["", "any"], ["true", "enabled"], ["false", "disabled"]].map(([v, l]) => h("option", { value: v, selected: params.get("enabled") === v }, l)));
  const form = h("form", { class: "filters", id: "setting-filters", onsubmit: (event) => {
    event.preventDefault();
    const next = {};
    for (const [k, label] of Object.entries(fields)) next[k] = label.querySelector("input").value.trim();
    next.check = check.value.trim();
    next.enabled = enabled.value;
    navigate("/auditorsettings" + query(next));
  } }, Object.values(fields), h("label", {}, "Check", check), h("label", {}, "State", enabled), h("button", { type: "submit" }, "Filter"));
  const filters = {};
  for (const k of ["accounts", "technologies", "check", "enabled"]) if (params.get(k)) filters[k] = params.get(k);
  const results = await api("GET", "/auditorsettings" + query({ ...filters, page, count: 100 }));
  const rows = results.items.map((r) => h("tr", { "data-account": r.account_name, "data-check": r.check, class: r.disabled ? "" : r.open_issues ? "yellow" : "" },
    h("td", {}, r.account_name), h("td", {}, r.technology), h("td", {}, r.check), h("td", {}, r.title || ""), h("td", {}, r.open_issues),
    h("td", {}, r.disabled ? "disabled" : "enabled"),
    h("td", {}, can("Justify") ? h("button", { class: "toggle-check", type: "button", onclick: async () => {
      try { await api("PUT", "/auditorsettings/" + encodeURIComponent(r.technology) + "/" + encodeURIComponent(r.check), { disabled: !r.disabled }); route(); } catch (e) { showError(e); }
    } }, r.disabled ? "Enable" : "Disable") : null)));
  const pages = Math.max(1, Math.ceil(results.total / 100));
  const pager = (n, label) => n >= 1 && n <= pages && n !== page
    ? h("a", { href: "/auditorsettings" + query({ ...Object.fromEntries(params), page: n }), "data-nav": true }, label) : h("span", { class: "muted" }, label);
  view(h("h1", {}, "Auditor settings"),
    h("p", { class: "muted" }, "A disabled check does not run in any account; the change takes effect at the next audit, which fixes its open issues."),
    form, h("p", { id: "total" }, results.total + (results.total === 1 ? " row" : " rows") + "; page " + page + " of " + pages + " "), pager(page - 1, "‹ previous"), " ", pager(page + 1, "next ›"),
    h("table", { id: "auditor-settings" }, h("tr", {}, ["Account", "Technology", "Check", "Title", "Open issues", "State", ""].map((c) => h("th", {}, c))), rows));
}

// A table row an Edit button turns into inputs in place: `cells` shows the values, `editors`
// holds one input (or plain text, for a key that cannot change) per cell, and `save` stores
// what the inputs hold. `extra` goes next to the Edit button.
function editableRow(attrs, cells, editors, save, extra) {
  const row = h("tr", attrs);
  const show = () => row.replaceChildren(...cells.map((c) => h("td", {}, c)),
    h("td", {}, h("button", { class: "edit", type: "button", onclick: edit }, "Edit"), " ", extra || null));
  const edit = () => row.replaceChildren(...editors.map((e) => h("td", {}, e)),
    h("td", {}, h("button", { class: "save", type: "button", onclick: async () => {
      try { await save(); route(); } catch (e) { showError(e); }
    } }, "Save"), " ", h("button", { class: "cancel", type: "button", onclick: show }, "Cancel")));
  show();
  return row;
}

function patternText(p) {
  return p.field + "." + p.value + "=" + p.score;
}

// A button that asks for a second click before it runs `action` (no blocking dialogs).
function confirmButton(label, className, action) {
  const button = h("button", { class: className, type: "button" }, label);
  button.addEventListener("click", async () => {
    if (!button.dataset.armed) { button.dataset.armed = "1"; button.textContent = "Really " + label.toLowerCase() + "?"; return; }
    try { await action(); route(); } catch (e) { showError(e); }
  });
  return button;
}

// A settings section: a table of rows and, for those allowed, a form that POSTs and redraws.
function section(id, title, headers, rows, form) {
  return h("section", { id }, h("h2", {}, title), h("table", {}, h("tr", {}, headers.map((c) => h("th", {}, c))), rows), form || null);
}

function formOf(id, inputs, submit, label) {
  const values = () => Object.fromEntries(Object.entries(inputs).map(([k, el]) => [k, el.type === "checkbox" ? el.checked : el.value]));
  return h("form", { id, class: "inline", onsubmit: async (event) => {
    event.preventDefault();
    try { await submit(values()); route(); } catch (e) { showError(e); }
  } }, Object.entries(inputs).map(([k, el]) => h("label", {}, k.replace(/_/g, " "), el)), h("button", { type: "submit" }, label));
}

async function drawSettings() {
  const admin = can("Admin");
  const [accounts, scores, whitelist, ignore, users, watchers, who] = await Promise.all([
    api("GET", "/accounts"), api("GET", "/auditscores"), api("GET", "/whitelist"), api("GET", "/ignorelist"),
    admin ? api("GET", "/users") : Promise.resolve([]), admin ? api("GET", "/watcher_config") : Promise.resolve([]), api("GET", "/me"),
  ]);
  const subs = who.user.subscriptions;
  const notify = accounts.map((a) => h("label", {}, a.name, h("input", { type: "checkbox", class: "notify-account", "data-account": a.name, checked: subs.accounts.includes(a.name) })));
  const daily = h("input", { id: "daily-report", type: "checkbox", checked: subs.daily_report });
  const mails = h("select", { id: "change-mails" }, ["ALL", "ISSUES", "NONE"].map((m) => h("option", { value: m, selected: subs.change_mails === m }, m)));
  const mine = h("form", { id: "my-notifications", class: "inline", onsubmit: async (event) => {
    event.preventDefault();
    const chosen = [...document.querySelectorAll(".notify-account")].filter((c) => c.checked).map((c) => c.dataset.account);
    try { await api("PUT", "/me/notifications", { accounts: chosen, change_mails: mails.value, daily_report: daily.checked }); route(); } catch (e) { showError(e); }
  } }, h("label", {}, "Daily report", daily), h("label", {}, "Change mails", mails), notify, h("button", { type: "submit" }, "Save"));
  const input = (id, attrs) => h("input", { id, ...(attrs || {}) });
  view(
    h("h1", {}, "Settings"),
    h("section", { id: "notifications" }, h("h2", {}, "My notifications"), mine),
    section("accounts", "Accounts", ["Name", "Number", "S3 name", "Active", "Third party", "Notes", ""],
      accounts.map((a) => {
        const cells = [a.name, a.number, a.s3_name || "", a.active ? "yes" : "no", a.third_party ? "yes" : "no", a.notes || ""];
        if (!admin) return h("tr", { "data-account": a.name }, cells.map((c) => h("td", {}, c)), h("td", {}));
        const e = {
          name: h("input", { class: "edit-name", value: a.name }),
          number: h("input", { class: "edit-number", value: a.number, title: "An account's number cannot change: add a new account instead" }),
          s3_name: h("input", { class: "edit-s3-name", value: a.s3_name || "" }),
          active: h("input", { class: "edit-active", type: "checkbox", checked: a.active }),
          third_party: h("input", { class: "edit-third-party", type: "checkbox", checked: a.third_party }),
          notes: h("input", { class: "edit-notes", value: a.notes || "" }),
        };
        return editableRow({ "data-account": a.name }, cells, Object.values(e),
          () => api("PUT", "/accounts/" + encodeURIComponent(a.number), { name: e.name.value, number: e.number.value, s3_name: e.s3_name.value, active: e.active.checked, third_party: e.third_party.checked, notes: e.notes.value }),
          [h("button", { class: "toggle-active", type: "button", onclick: async () => { try { await api("PUT", "/accounts/" + encodeURIComponent(a.name), { active: !a.active }); route(); } catch (e) { showError(e); } } }, a.active ? "Disable" : "Enable"),
            " ", confirmButton("Delete", "delete", () => api("DELETE", "/accounts/" + encodeURIComponent(a.name)))]);
      }),
      admin ? formOf("account-form", { name: input("account-name"), s3_name: input("account-s3-name"), number: input("account-number"), notes: input("account-notes"), active: input("account-active", { type: "checkbox", checked: true }), third_party: input("account-third-party", { type: "checkbox" }) },
        (v) => api("POST", "/accounts", { ...v, s3_name: v.s3_name || null, notes: v.notes || null }), "Add account") : null),
    section("scores", "Audit issue scores", ["Technology", "Check", "Score", "Disabled", "Account patterns", ""],
      scores.map((s) => {
        const path = "/auditscores/" + encodeURIComponent(s.technology) + "/" + encodeURIComponent(s.check);
        const cells = [s.technology, s.check, s.score ?? "", s.disabled ? "yes" : "", (s.account_patterns || []).map(patternText).join(", ")];
        if (!admin) return h("tr", { "data-check": s.check }, cells.map((c) => h("td", {}, c)), h("td", {}));
        const score = h("input", { class: "edit-score", type: "number", min: 0, value: s.score ?? "" });
        const disabled = h("input", { class: "edit-disabled", type: "checkbox", checked: s.disabled });
        const patterns = h("input", { class: "edit-patterns", value: cells[4], placeholder: "name.prod=10, third_party.true=1" });
        return editableRow({ "data-check": s.check }, cells, [s.technology, s.check, score, disabled, patterns],
          () => api("PUT", path, { score: score.value === "" ? null : Number(score.value), disabled: disabled.checked, account_patterns: patterns.value.split(",").map((p) => p.trim()).filter(Boolean) }),
          confirmButton("Delete", "delete", () => api("DELETE", path)));
      }),
      admin ? formOf("score-form", { technology: input("score-technology"), check: input("score-check"), score: input("score-score", { type: "number", min: 0 }), disabled: input("score-disabled", { type: "checkbox" }) },
        (v) => api("POST", "/auditscores", { technology: v.technology, check: v.check, score: v.score === "" ? null : Number(v.score), disabled: v.disabled }), "Set score") : null),
    section("whitelist", "Network whitelist", ["Name", "CIDR", "Notes", ""],
      whitelist.map((w) => {
        const path = "/whitelist/" + encodeURIComponent(w.name);
        const cells = [w.name, w.cidr, w.notes || ""];
        if (!admin) return h("tr", { "data-network": w.name }, cells.map((c) => h("td", {}, c)), h("td", {}));
        const cidr = h("input", { class: "edit-cidr", value: w.cidr });
        const notes = h("input", { class: "edit-notes", value: w.notes || "" });
        return editableRow({ "data-network": w.name }, cells, [w.name, cidr, notes],
          () => api("PUT", path, { cidr: cidr.value, notes: notes.value }), confirmButton("Delete", "delete", () => api("DELETE", path)));
      }),
      admin ? formOf("whitelist-form", { name: input("whitelist-name"), cidr: input("whitelist-cidr"), notes: input("whitelist-notes") }, (v) => api("POST", "/whitelist", v), "Add network") : null),
    section("ignore", "Ignore list", ["Technology", "Prefix", "Notes", ""],
      ignore.map((i) => {
        const path = "/ignorelist/" + encodeURIComponent(i.technology) + "/" + encodeURIComponent(i.prefix);
        const cells = [i.technology, i.prefix, i.notes || ""];
        if (!admin) return h("tr", { "data-prefix": i.prefix }, cells.map((c) => h("td", {}, c)), h("td", {}));
        const notes = h("input", { class: "edit-notes", value: i.notes || "" });
        return editableRow({ "data-prefix": i.prefix }, cells, [i.technology, i.prefix, notes],
          () => api("PUT", path, { notes: notes.value }), confirmButton("Delete", "delete", () => api("DELETE", path)));
      }),
      admin ? formOf("ignore-form", { technology: input("ignore-technology"), prefix: input("ignore-prefix"), notes: input("ignore-notes") }, (v) => api("POST", "/ignorelist", v), "Ignore") : null),
    admin ? section("users", "Users", ["E-mail", "Role", "Active", ""],
      users.map((u) => {
        if (u.email === me.email) return h("tr", {}, h("td", {}, u.email), h("td", {}, u.role), h("td", {}, "yes"), h("td", {}, "(you)"));
        const role = h("select", { class: "role" }, ROLES.map((r) => h("option", { value: r, selected: u.role === r }, r)));
        const active = h("input", { type: "checkbox", class: "active", checked: u.active });
        return h("tr", { "data-user": u.email }, h("td", {}, u.email), h("td", {}, role), h("td", {}, active),
          h("td", {}, h("button", { class: "save-user", type: "button", onclick: async () => {
            try { await api("PUT", "/users/" + encodeURIComponent(u.email), { role: role.value, active: active.checked }); route(); } catch (e) { showError(e); } } }, "Save"),
          " ", confirmButton("Delete", "delete", () => api("DELETE", "/users/" + encodeURIComponent(u.email)))));
      }),
      formOf("user-form", { email: input("user-email", { type: "email" }), role: h("select", { id: "user-role" }, ROLES.map((r) => h("option", { value: r }, r))), password: input("user-password", { type: "password" }) },
        (v) => api("POST", "/users", { ...v, password: v.password || null }), "Add user")) : null,
    admin ? section("watchers", "Watcher configuration (in force at once, no restart)", ["Technology", "Interval (minutes)", "Enabled"],
      watchers.map((w) => h("tr", {}, h("td", {}, w.technology), h("td", {}, String(w.interval)), h("td", {}, w.enabled ? "yes" : "no"))),
      formOf("watcher-form", { technology: input("watcher-technology"), interval: input("watcher-interval", { placeholder: "15m, 1h, 12h, 1d, 1w" }), enabled: input("watcher-enabled", { type: "checkbox", checked: true }) },
        (v) => api("PUT", "/watcher_config/" + encodeURIComponent(v.technology), { interval: v.interval, enabled: v.enabled }), "Save")) : null,
  );
}

route();

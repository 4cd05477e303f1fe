// Keeps the "Notifications" count in the service navigation current without a reload.
// Progressive enhancement: the server already renders the count in the link text; this module
// polls /notifications/count.json every 30 seconds (while the page is visible) and rewrites it.
// Loaded as a module file with the page's CSP nonce; never inline.

const POLL_MS = 30000;
const LINK_SELECTOR = 'a.govuk-service-navigation__link[href$="/notifications/"]';

// The same wording as safehub.core.navigation.notifications_label.
export function labelFor(counts) {
  const waiting = Number(counts && counts.waiting) || 0;
  const overdue = Number(counts && counts.overdue) || 0;
  if (!waiting) return "Notifications";
  return overdue ? `Notifications (${waiting}, ${overdue} overdue)` : `Notifications (${waiting})`;
}

export async function refresh(link, fetchImpl = window.fetch.bind(window)) {
  const response = await fetchImpl(new URL("count.json", link.href), {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  });
  const type = response.headers.get("Content-Type") || "";
  if (!response.ok || !type.includes("application/json")) return null;
  const counts = await response.json();
  // The active item wraps its text in <strong>: keep that element, change only the words.
  const target = link.querySelector("strong") || link;
  const label = labelFor(counts);
  if (target.textContent.trim() !== label) target.textContent = label;
  return counts;
}

export function start(doc = document) {
  const link = doc.querySelector(LINK_SELECTOR);
  if (!link || !window.fetch) return null;
  const tick = () => {
    if (!doc.hidden) refresh(link).catch(() => {});
  };
  doc.addEventListener("visibilitychange", tick);
  return window.setInterval(tick, POLL_MS);
}

if (typeof document !== "undefined") start();

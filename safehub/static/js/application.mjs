// Safehub's only script: starts GOV.UK Frontend's components (progressive enhancement).
// Loaded as a module file with the page's CSP nonce; never inline.
import { initAll } from "../dist/govuk-frontend.min.js";

initAll();

// Keeps the Notifications count in the service navigation current (no-op when signed out).
import "./notifications.mjs";

// Start GOV.UK Frontend's components and ours. Loaded as a module file so the CSP needs no inline script for it.
import { initAll } from "./govuk-frontend.min.js";
import { initProgress } from "./progress.js";

initAll();
initProgress();

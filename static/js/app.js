// Progressive enhancement only: every page works without this script.
import { initAll } from "../vendor/nhsuk-frontend/js/nhsuk-frontend.min.js";

initAll();

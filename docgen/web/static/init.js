// GOV.UK Frontend's components (details, error summary focus, …) once the module loads.
import { initAll } from './govuk-frontend.min.js';
initAll();

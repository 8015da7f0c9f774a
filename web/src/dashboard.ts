/** Entry of the collector's dashboard (dist/web/index.html). */
import { applyStoredTheme } from './theme/theme-toggle.ts';
import './pages/dashboard-page.ts';

applyStoredTheme();

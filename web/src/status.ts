/** Entry of the agent's status page (dist/web/status.html). */
import { applyStoredTheme } from './theme/theme-toggle.ts';
import './pages/status-page.ts';

applyStoredTheme();

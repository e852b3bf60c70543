/**
 * Installs the Content-Security-Policy before any other module of the app runs
 * (main.ts imports this first). See src/lib/security/csp.ts for the policy.
 */
import { contentSecurityPolicy, dataOriginsOf } from './lib/security/csp.ts';

const meta = document.createElement('meta');
meta.httpEquiv = 'Content-Security-Policy';
meta.content = contentSecurityPolicy({ dataOrigins: dataOriginsOf(location.href) });
document.head.prepend(meta);

// The Content-Security-Policy goes in first, before any other module of the app runs.
import './csp.ts';
// The theme goes on <html> before the app is mounted, so it never flashes the other look.
import './state/theme.svelte.ts';
import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('The #app element is missing from index.html.');

export default mount(App, { target });

/**
 * The app's Vite config for the end-to-end server: the same build, served
 * without the single-page fallback, so a missing file is a real HTTP 404
 * (what a static file host answers) rather than index.html.
 */
import { mergeConfig } from 'vite';
import base from '../vite.config.ts';

export default mergeConfig(base, { appType: 'mpa' });

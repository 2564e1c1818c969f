import { render } from 'preact';
import { App } from './app.js';
import './styles/base.css';
import './styles/content.css';
import './styles/details.css';
import './styles/rollouts.css';
import './styles/trust.css';

render(<App />, document.getElementById('app')!);

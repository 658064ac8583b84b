// Uses a CSS module. It accepts itself, so when the class names change (the CSS module
// passes its update on) it re-runs and renders the new names; `runs` counts its runs.
import styles from './card.module.css';
import { slot } from './dom.ts';

const w = window as unknown as { __cardRuns?: number };
w.__cardRuns = (w.__cardRuns ?? 0) + 1;

const card = slot('card', 'div');
card.className = styles.card;
card.innerHTML = `<span id="card-title" class="${styles.title}">card</span> <span id="card-badge">${styles.badge ?? 'no badge'}</span> <span id="card-runs">runs: ${w.__cardRuns}</span>`;

if (import.meta.hot) import.meta.hot.accept();

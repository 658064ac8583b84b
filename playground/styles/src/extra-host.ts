// Imports extra.css; delete that import and save: the style goes away, without a reload.
import './extra.css';
import { slot } from './dom.ts';

slot('extra').textContent = 'styled by extra.css while extra-host.ts imports it';

if (import.meta.hot) import.meta.hot.accept();

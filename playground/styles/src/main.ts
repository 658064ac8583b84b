// The entry of index.html (and of SPA routes, which index.html also serves): each feature
// module renders its own part and handles its own updates; this module accepts none.
import './imported.css';
import './card.ts';
import './extra-host.ts';
import './assets.ts';
import { slot } from './dom.ts';

slot('imported').textContent = 'styled by imported.css';
slot('imported-dep').textContent = 'styled by imported-dep.css (@imported)';
document.body.dataset.ready = 'true';

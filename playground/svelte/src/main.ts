// The entry: mounts the root component. It is not a boundary (it accepts nothing), so an
// edit here reloads the page; edits of components and of the store module do not.
import { mount } from 'svelte';
import App from './App.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from index.html');

export const app = mount(App, { target });

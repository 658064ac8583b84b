// dispose(data) and import.meta.hot.data: click +1 a few times, then edit `label` and save,
// several times. The clicks and the number of versions that ran survive every edit,
// because each version hands them to the next through `data` in its dispose handler.
import { show } from '../show.ts';

const label = 'state v1';

const previous = import.meta.hot?.data as { runs?: number; clicks?: number } | undefined;
const runs = (previous?.runs ?? 0) + 1;
let clicks = previous?.clicks ?? 0;

const render = () => show('state', `${label}: runs ${runs}, clicks ${clicks}`);
const onClick = () => {
  clicks++;
  render();
};
const button = document.getElementById('state-button')!;
button.addEventListener('click', onClick);
render();

if (import.meta.hot) {
  import.meta.hot.dispose((data) => {
    button.removeEventListener('click', onClick);
    data.runs = runs;
    data.clicks = clicks;
  });
  import.meta.hot.accept();
}

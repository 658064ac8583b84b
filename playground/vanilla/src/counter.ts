// A counter that survives its own edits: the module accepts itself, and keeps its count in
// import.meta.hot.data, which outlives each version of the module. Change the label below
// and save: the page keeps its count and shows the new label without a reload.
const label = 'Count';

interface CounterState {
  count: number;
}

const state: CounterState = import.meta.hot?.data.state ?? { count: 0 };

/** Renders the counter into `root` (replacing a previous version's markup). */
export function mountCounter(root: HTMLElement): void {
  root.innerHTML = `<button id="counter-button" type="button">+1</button> <span id="counter-value"></span>`;
  const value = root.querySelector<HTMLSpanElement>('#counter-value')!;
  const render = () => {
    value.textContent = `${label}: ${state.count}`;
  };
  root.querySelector('#counter-button')!.addEventListener('click', () => {
    state.count++;
    render();
  });
  render();
}

if (import.meta.hot) {
  import.meta.hot.dispose((data) => {
    data.state = state;
  });
  import.meta.hot.accept((next) => {
    const root = document.querySelector<HTMLElement>('#counter');
    if (next && root) next.mountCounter(root);
  });
}

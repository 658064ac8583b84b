// Edit this text: it updates in place, without a page reload.
export const message = 'hello from a hot module';

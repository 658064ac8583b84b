// The entry of about.html.
document.body.dataset.ready = 'true';

// Tells the journal's other open tabs that the stored data changed, so they read it again.
// Only the word "changed" travels, never an entry, and only between tabs of this site.

const NAME = "handbook-journal";
let channel = null;

export function listen(onChange) {
  if (typeof BroadcastChannel !== "function") return;
  channel ??= new BroadcastChannel(NAME);
  channel.onmessage = (event) => {
    if (event.data === "changed") onChange();
  };
}

export function announce() {
  if (typeof BroadcastChannel !== "function") return;
  channel ??= new BroadcastChannel(NAME);
  channel.postMessage("changed");
}

// Material loads a ResizeObserver polyfill from a CDN when the browser lacks one
// (Safari before 13.1). We never contact another origin, so browsers that old get
// this small stand-in, which reports size changes on window resize and orientation change.
(function () {
  if (typeof window.ResizeObserver !== "undefined") return;
  function Shim(callback) {
    this.targets = [];
    this.callback = callback;
    var self = this;
    this.notify = function () {
      self.callback(self.targets.map(function (target) {
        return { target: target, contentRect: target.getBoundingClientRect() };
      }), self);
    };
    window.addEventListener("resize", this.notify);
    window.addEventListener("orientationchange", this.notify);
  }
  Shim.prototype.observe = function (target) {
    this.targets.push(target);
    setTimeout(this.notify, 0);
  };
  Shim.prototype.unobserve = function (target) {
    this.targets = this.targets.filter(function (t) { return t !== target; });
  };
  Shim.prototype.disconnect = function () {
    this.targets = [];
    window.removeEventListener("resize", this.notify);
    window.removeEventListener("orientationchange", this.notify);
  };
  window.ResizeObserver = Shim;
})();

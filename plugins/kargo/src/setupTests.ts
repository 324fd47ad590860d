import '@testing-library/jest-dom';

// jsdom has no SVG layout; DependencyGraph measures its nodes with getBBox.
Object.defineProperty(window.SVGElement.prototype, 'getBBox', {
  writable: true,
  value: () => ({ x: 0, y: 0, width: 240, height: 100 }),
});

"""The testharness.js runner behind `jsapi wpt`."""

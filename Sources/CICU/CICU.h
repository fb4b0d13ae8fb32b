// Intentionally empty: this module only carries ICU's link flags (pkg-config icu-i18n).
// ICU headers are included privately by CICUShim's implementation files.

// Tailwind CSS 4 runs as a PostCSS plugin; there is no tailwind.config file (theme lives in app/globals.css).
const config = {
  plugins: {
    "@tailwindcss/postcss": {},
  },
};

export default config;

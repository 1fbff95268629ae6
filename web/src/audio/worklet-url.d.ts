/** Vite turns `./file.ts?worker&url` into the URL of that file bundled on its own (the playout AudioWorklet). */
declare module '*?worker&url' {
  const url: string;
  export default url;
}

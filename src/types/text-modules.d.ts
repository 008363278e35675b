// wrangler bundles `*.yaml` as text (see [[rules]] in wrangler.toml): the Worker imports its config file.
declare module '*.yaml' {
  const text: string;
  export default text;
}

/**
 * xypz completion bash|zsh|fish: prints the shell's completion script. Each script asks
 * `xypz __complete <words…>` for the candidates (src/complete.ts), so it never goes stale.
 */
import { UsageError } from '../errors.js';
import { arg, askChoice, defineCommand } from './define.js';
import { KEPT_CA_CERTS } from './globals.js';

const SHELLS = ['bash', 'zsh', 'fish'] as const;
type Shell = (typeof SHELLS)[number];

/**
 * What each script changes in the environment of `xypz __complete`, the one definition of it (bench/complete.mjs
 * reads it back from the bash script). Node reads the certificate file that NODE_EXTRA_CA_CERTS names before any of
 * the program runs (a system bundle of 220 KB: some 50 ms of every Tab), and completion reads a local database file
 * without TLS. The value travels on as XYPZ_NODE_EXTRA_CA_CERTS: names from a server are then read by a second
 * process that has the certificates again (src/complete.ts). NODE_OPTIONS is left as the user set it.
 */
export const COMPLETE_ENV: readonly { name: string; from?: string }[] = [
  { name: KEPT_CA_CERTS, from: 'NODE_EXTRA_CA_CERTS' },
  { name: 'NODE_EXTRA_CA_CERTS' },
];

/** `NAME="$FROM" NAME=` words, as bash, zsh and fish (via env) write them. */
const assignments = COMPLETE_ENV.map((v) => `${v.name}=${v.from ? `"$${v.from}"` : ''}`).join(' ');

const SCRIPTS: Record<Shell, string> = {
  bash: `# xypz 的 bash 补全。启用：在 ~/.bashrc 中加入  source <(xypz completion bash)
_xypz_complete() {
  local IFS=$'\\n'
  # 不让 Node 启动时先读 NODE_EXTRA_CA_CERTS 的证书文件（每次 Tab 约 50 ms）；从服务器读名称时 xypz 仍会用它
  COMPREPLY=($(${assignments} xypz __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _xypz_complete xypz
`,
  zsh: `#compdef xypz
# xypz 的 zsh 补全。启用：在 ~/.zshrc 中（compinit 之后）加入  source <(xypz completion zsh)
_xypz_complete() {
  local -a candidates
  # 不让 Node 启动时先读 NODE_EXTRA_CA_CERTS 的证书文件（每次 Tab 约 50 ms）；从服务器读名称时 xypz 仍会用它
  candidates=("\${(@f)$(${assignments} xypz __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  candidates=(\${candidates:#})
  if (( \${#candidates} )); then
    compadd -Q -- "\${candidates[@]}"
  else
    _files
  fi
}
compdef _xypz_complete xypz
`,
  fish: `# xypz 的 fish 补全。启用：xypz completion fish > ~/.config/fish/completions/xypz.fish
function __xypz_complete
    set -l words (commandline -opc) (commandline -ct)
    # 不让 Node 启动时先读 NODE_EXTRA_CA_CERTS 的证书文件（每次 Tab 约 50 ms）；从服务器读名称时 xypz 仍会用它
    env ${assignments} xypz __complete $words[2..-1] 2>/dev/null
end
complete -c xypz -a '(__xypz_complete)'
`,
};

export const command = defineCommand({
  description: '输出 shell 补全脚本（bash、zsh、fish），启用方法见脚本第一行',
  args: { shell: arg('shell', 'bash、zsh 或 fish').ask(askChoice('shell', SHELLS.map((s) => ({ name: s, value: s })))) },
  examples: ['source <(xypz completion bash)     # 写入 ~/.bashrc 后每次登录生效', 'xypz completion fish > ~/.config/fish/completions/xypz.fish'],
  async run(ctx, a) {
    const shell = a.shell.trim().toLowerCase();
    if (!(SHELLS as readonly string[]).includes(shell)) {
      throw new UsageError(`不支持的 shell「${a.shell}」：可选 ${SHELLS.join('、')}`);
    }
    ctx.io.stdout.write(SCRIPTS[shell as Shell]);
  },
});

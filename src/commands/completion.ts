/**
 * xypz completion bash|zsh|fish: prints the shell's completion script. Each script asks
 * `xypz __complete <words…>` for the candidates (src/complete.ts), so it never goes stale.
 */
import { UsageError } from '../errors.js';
import { arg, askChoice, defineCommand } from './define.js';

const SHELLS = ['bash', 'zsh', 'fish'] as const;
type Shell = (typeof SHELLS)[number];

const SCRIPTS: Record<Shell, string> = {
  bash: `# xypz 的 bash 补全。启用：在 ~/.bashrc 中加入  source <(xypz completion bash)
_xypz_complete() {
  local IFS=$'\\n'
  COMPREPLY=($(xypz __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _xypz_complete xypz
`,
  zsh: `#compdef xypz
# xypz 的 zsh 补全。启用：在 ~/.zshrc 中（compinit 之后）加入  source <(xypz completion zsh)
_xypz_complete() {
  local -a candidates
  candidates=("\${(@f)$(xypz __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
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
    xypz __complete $words[2..-1] 2>/dev/null
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

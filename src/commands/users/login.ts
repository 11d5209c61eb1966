/**
 * xypz users login <登录账号…> [--password-file <文件>]: on a PostgreSQL server, a database login for each
 * account (same name, lower case) with a new generated password, written one `<login>\t<password>` line
 * each to a new file of mode 0600 (never printed).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { grantLogins } from '../../domain/accounts/index.js';
import { DataError } from '../../errors.js';
import { checkOutputPath, writeFileAtomic } from '../../render/files.js';
import { printJson } from '../../render/output.js';
import { visible } from '../../util/text.js';
import { args, defineCommand, text } from '../define.js';
import { session } from '../session.js';
import { fileStamp } from '../../util/filenames.js';

export const command = defineCommand({
  args: { logins: args('登录账号') },
  options: {
    passwordFile: text('--password-file <文件>', '口令写入的新文件（每行“账号<TAB>口令”，权限 0600；默认 xypz-口令-<时间>.txt）'),
  },
  async run(ctx, { logins }, opts) {
    const stamp = fileStamp(ctx.now());
    const file = checkOutputPath(ctx.path(opts.passwordFile ?? `xypz-口令-${stamp}.txt`));
    if (existsSync(file)) throw new DataError(`${file} 已存在；口令文件不覆盖已有文件，请换一个文件名（--password-file）`);
    const { store, who } = await session(ctx);
    const issued = await grantLogins(store, who, logins, (list) =>
      writeFileAtomic(file, async (tmp) => writeFileSync(tmp, list.map((l) => `${l.login.toLowerCase()}\t${l.password}\n`).join(''))),
    );
    const shown = issued.map((l) => ({ login: l.login.toLowerCase(), group: l.group, created: l.created }));
    if (ctx.json) return printJson(ctx, { password_file: file, logins: shown });
    for (const l of shown) ctx.out(`${visible(l.login)}：${l.created ? '已创建' : '已更新'}登录账号（${l.group === 'xypz_reader' ? '只读' : '可读写'}）`);
    ctx.out(`口令已写入 ${file}（权限 0600）：请分别交给本人，不要通过普通邮件或聊天发送；交付后删除该文件`);
  },
});

/** xypz users template <out.xlsx>: the blank 用户信息批量导入表 with its instructions and drop-downs. */
import { writeUserBook } from '../../render/userbook.js';
import { templateCommand } from '../template.js';

export const command = templateCommand((out, dir) => writeUserBook(out, dir, [], { example: true }));

/**
 * Chart SVG → PNG with resvg (its binary ships in the npm package; loaded lazily). resvg draws text with the
 * fonts it is given and nothing else, so Chinese needs a CJK font file: the first of CJK_FONTS found on this
 * machine is passed explicitly. Without one, Chinese would come out as empty boxes, so no PNG is made and the
 * caller says why (NoCjkFontError).
 *
 * resvg reads the font file again for every piece of text, so a chart takes about a second with a 20 MB CJK
 * font: the charts are drawn one after another, off the main thread.
 */
import { existsSync } from 'node:fs';
import { DataError } from '../errors.js';

export interface CjkFont {
  file: string;
  /** Its family name, for the text that asks for another font or for sans-serif. */
  family: string;
  /** Its bold face, for the titles, where there is one. */
  bold?: string;
}

/** Where systems install a Chinese sans-serif font: Debian/Ubuntu (fonts-noto-cjk), Arch, Fedora, WenQuanYi, Windows, macOS. */
export const CJK_FONTS: readonly CjkFont[] = [
  ...['/usr/share/fonts/opentype/noto', '/usr/share/fonts/noto-cjk', '/usr/share/fonts/google-noto-cjk'].map((dir) => ({
    file: `${dir}/NotoSansCJK-Regular.ttc`,
    family: 'Noto Sans CJK SC',
    bold: `${dir}/NotoSansCJK-Bold.ttc`,
  })),
  { file: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYi Micro Hei' },
  { file: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', family: 'WenQuanYi Zen Hei' },
  { file: 'C:\\Windows\\Fonts\\msyh.ttc', family: 'Microsoft YaHei' },
  { file: 'C:\\Windows\\Fonts\\simhei.ttf', family: 'SimHei' },
  { file: '/System/Library/Fonts/PingFang.ttc', family: 'PingFang SC' },
];

/** What to tell the user when no Chinese font is found. */
export const NO_CJK_FONT = '未找到中文字体，PNG 图片中的中文无法显示：请安装中文字体（Debian/Ubuntu：apt-get install fonts-noto-cjk），或改用 .svg、.html 输出';

export class NoCjkFontError extends DataError {
  constructor() {
    super(NO_CJK_FONT);
  }
}

export function findCjkFont(candidates: readonly CjkFont[] = CJK_FONTS): CjkFont | undefined {
  return candidates.find((f) => existsSync(f.file));
}

/** PNG images of the SVGs at twice their size (sharp when printed or pasted into Word), in order. */
export async function svgToPngs(svgs: string[], candidates: readonly CjkFont[] = CJK_FONTS): Promise<Buffer[]> {
  const font = findCjkFont(candidates);
  if (!font) throw new NoCjkFontError();
  const { renderAsync } = await import('@resvg/resvg-js');
  const out: Buffer[] = [];
  for (const svg of svgs) {
    const image = await renderAsync(svg, {
      font: { fontFiles: [font.file, ...(font.bold && existsSync(font.bold) ? [font.bold] : [])], loadSystemFonts: false, defaultFontFamily: font.family, sansSerifFamily: font.family },
      fitTo: { mode: 'zoom', value: 2 },
      background: '#ffffff',
      logLevel: 'off',
    });
    out.push(image.asPng());
  }
  return out;
}

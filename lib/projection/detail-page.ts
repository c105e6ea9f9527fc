import type { DetailPageStatusName, DetailPageInput } from '../events/types';
import type { DetailPage, DetailPageStatus } from '../order-center/types';

const DETAIL_PAGE_STATUS: Readonly<Record<DetailPageStatusName, DetailPageStatus>> = {
  hidden: 0,
  shown: 1,
  linked: 2,
};

/** Maps a merchant DetailPage onto Baidu's, carrying only the fields the merchant gave (empty strings included). */
export function toDetailPage(input: DetailPageInput): DetailPage {
  const page: DetailPage = {};
  if (input.status !== undefined) page.Status = DETAIL_PAGE_STATUS[input.status];
  if (input.name !== undefined) page.Name = input.name;
  if (input.h5 !== undefined) page.H5Schema = input.h5;
  if (input.swan !== undefined) page.SwanSchema = input.swan;
  if (input.iphone !== undefined) page.IPhoneSchema = input.iphone;
  if (input.android !== undefined) page.AndroidSchema = input.android;
  return page;
}

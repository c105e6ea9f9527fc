import type { OrderItemInput } from '../events/types';
import type { Product } from '../order-center/types';
import { toDetailPage } from './detail-page';

/** A snapshot item as an Order Center product; optional parts are left out when absent or empty. */
export function toProduct(item: OrderItemInput): Product {
  const product: Product = {
    ID: item.id,
    Name: item.name,
    Quantity: item.quantity,
    Price: item.price,
    PayPrice: item.payPrice,
  };
  if (item.description !== undefined) product.Desc = item.description;
  if (item.images !== undefined && item.images.length > 0) product.ImgList = item.images.slice();
  if (item.sku !== undefined && item.sku.length > 0) {
    product.SkuAttr = item.sku.map((sku) => ({ Name: sku.name, Value: sku.value }));
  }
  if (item.detail !== undefined) product.DetailPage = toDetailPage(item.detail);
  return product;
}

/** zh-CN texts of the region step. */
export default {
  heading: '问题发生在哪里',
  hint: '请选择问题所在的省、市、县（区）。举报将按照“属地管理、分级负责”的原则，交由当地应急管理部门办理。',
  required: '请选择问题所在地（省、市、县）',
  chosen: (path: string) => `已选择：${path}`,
};

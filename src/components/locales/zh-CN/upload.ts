/** zh-CN texts of the upload part. Full-width punctuation; a space around Latin letters and digits (「15 秒」). */
export default {
  rules: (max: number, documentMb: number, videoMb: number) =>
    `可以上传照片、视频或 PDF 文件，最多 ${max} 个：JPEG、PNG 照片和 PDF 文件每个 ${documentMb} MB 以内，MP4 视频每个 ${videoMb} MB 以内。`,
  photoPrivacy: '照片上传前，会先在您的手机或电脑上去掉拍摄位置和手机型号等信息。',
  videoPrivacy: '视频上传前，也会先在您的手机或电脑上去掉拍摄位置和手机型号等信息。',
  pdfPrivacy: 'PDF 文件上传后，系统会去掉作者等文档属性。',
  keepLocation: '保留照片中的拍摄位置（有助于核查，但会透露位置）',
  takePhoto: '拍照',
  recordVideo: '录像',
  chooseFiles: '选择文件',
  dropHint: '也可以把文件拖到这里',
  count: (count: number, max: number) => `已添加 ${count} 个文件，还可以添加 ${max - count} 个。`,
  full: (max: number) => `已添加 ${max} 个文件，已达上限。如需更换，请先删除不需要的文件。`,
  listLabel: '已添加的文件',
  kind: {
    'image/jpeg': '照片',
    'image/png': '图片',
    'application/pdf': 'PDF 文件',
    'video/mp4': '视频',
  },
  sizeKb: (kb: string) => `${kb} KB`,
  sizeMb: (mb: string) => `${mb} MB`,
  /** Under each uploaded file, and spoken with 「已上传」: what was taken out of it. */
  removed: {
    'image/jpeg': '已去除照片中的拍摄位置、设备型号等信息。',
    'image/png': '已去除图片中的拍摄位置、设备型号等信息。',
    'application/pdf': '已去除作者等文档属性。',
    'video/mp4': '已去除视频中的拍摄位置、设备型号等信息。',
  },
  removedKeptLocation: '已去除照片中的设备型号等信息，按您的选择保留了拍摄位置。',
  /** Status under each file. */
  status: {
    queued: '等待上传',
    uploading: (percent: number) => `正在上传 ${percent}%`,
    done: '已上传',
    cancelled: '已取消上传，这个文件不会随举报提交。',
  },
  /** Why an upload stopped, with what to do next. */
  failed: {
    network: '网络中断，文件没有传完。请检查网络后点“重试”，已经传好的部分不用重传。',
    rateLimited: '系统繁忙，请稍等一会儿再点“重试”。',
    storageFull: '系统暂时存不下更多材料，这个文件没有传上去。请过一段时间再点“重试”；也可以删除不必要的大文件（如较长的视频），不带它先提交举报。',
    rejected: '系统没有接收这个文件，文件可能已损坏或格式不符。请删除后换一个文件。',
    other: '文件没有传完，请点“重试”。',
  },
  cancel: '取消',
  retry: '重试',
  remove: '删除',
  /** Hidden after 取消/重试/删除, so each button says which file it acts on. */
  actionTarget: (name: string) => `“${name}”`,
  /** Files refused before anything was sent. */
  refused: {
    type: (name: string) => `“${name}”不是可以上传的文件。请上传 JPEG 或 PNG 照片、PDF 文件或 MP4 视频。`,
    documentSize: (name: string, mb: number) => `“${name}”超过 ${mb} MB，无法上传。照片和 PDF 文件每个需在 ${mb} MB 以内。`,
    videoSize: (name: string, mb: number) => `“${name}”超过 ${mb} MB，无法上传。视频需在 ${mb} MB 以内，可以剪短后再上传。`,
    damaged: (name: string) => `“${name}”无法读取，可能已损坏。请重新拍摄，或换一张照片。`,
    damagedVideo: (name: string) => `“${name}”无法读取，可能已损坏。请重新录制，或换一个视频。`,
    tooMany: (max: number, skipped: number) =>
      `最多可以添加 ${max} 个文件，有 ${skipped} 个文件没有添加。如需更换，请先删除不需要的文件。`,
  },
  /** Spoken by screen readers only. */
  announce: {
    done: (name: string, removed: string) => `“${name}”已上传。${removed}`,
    failed: (name: string, reason: string) => `“${name}”上传失败：${reason}`,
  },
  /** The host form's validation message while files are uploading. */
  busy: '文件正在上传，请等上传完成后再提交。',
};
